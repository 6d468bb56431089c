import { Readable } from 'node:stream';
import type { CompiledContract } from '../../src/contracts/compiled-contract.ts';
import { compileOrThrow } from './contracts.ts';

/** A grant contract with the given report section (YAML flow or block text). */
export function grantContract(report: string, id = 'test-grant'): CompiledContract {
  return compileOrThrow(
    `id: ${id}
name: Test Grant
kind: grant
purpose: Testing reports
contract: { reference: G-1, effective: 2026-01-01, expires: 2027-12-31 }
upstream: { url: "http://127.0.0.1:9", hosts: [127.0.0.1] }
identity: { delivery: none }
report: ${report}`,
    `vendors/${id}.yaml`,
  );
}

export function csvStream(text: string | Buffer): Readable {
  return Readable.from([typeof text === 'string' ? Buffer.from(text) : text]);
}
