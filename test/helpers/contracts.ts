import type { CompiledContract } from '../../src/contracts/compiled-contract.ts';
import { compileContractText } from '../../src/contracts/load-contracts.ts';
import { createPseudonymKeys } from '../../src/policy/pseudonyms/pseudonym-keys.ts';

/** A fixed master secret for tests only (32 bytes). */
export const TEST_MASTER_SECRET = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');

export function createTestKeys(cacheSize?: number) {
  return createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: 1, ...(cacheSize === undefined ? {} : { cacheSize }) });
}

/** The frozen clock most tests use. */
export const NOW = new Date('2026-11-29T12:00:00Z');

/** A minimal valid contract as YAML; `extra` lines replace or add top-level keys. */
export function contractYaml(overrides: Record<string, string> = {}, id = 'test-vendor'): string {
  const base: Record<string, string> = {
    id: `id: ${id}`,
    name: 'name: Test Vendor',
    kind: 'kind: econtent',
    purpose: 'purpose: Testing',
    contract: 'contract: { reference: T-1, effective: 2026-01-01, expires: 2027-12-31 }',
    upstream: 'upstream: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1] }',
    identity: 'identity: { delivery: jwt }',
    fields: 'fields: { patronId: { action: pseudonymize, as: sub } }',
  };
  return Object.values({ ...base, ...overrides }).filter((line) => line !== '').join('\n');
}

/** Compiles YAML into a contract or throws with every problem. */
export function compileOrThrow(yaml: string, file = 'vendors/test-vendor.yaml', signingKeyConfigured = true): CompiledContract {
  const result = compileContractText(file, yaml, { signingKeyConfigured });
  if (!result.contract) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.contract;
}

/** A calendar date `days` from `from`, as YYYY-MM-DD. */
export function isoDaysFrom(from: Date, days: number): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Contract text with its `effective`, `expires` and `reviewed` dates moved around `now` (in force
 * for a year either side, reviewed a month ago). Tests that start a real process run on the wall
 * clock; this keeps them independent of the day they run on.
 */
export function shiftContractDates(text: string, now: Date): string {
  return text
    .replace(/(\beffective:\s*)\d{4}-\d{2}-\d{2}/g, `$1${isoDaysFrom(now, -365)}`)
    .replace(/(\bexpires:\s*)\d{4}-\d{2}-\d{2}/g, `$1${isoDaysFrom(now, 365)}`)
    .replace(/(\breviewed:\s*)\d{4}-\d{2}-\d{2}/g, `$1${isoDaysFrom(now, -30)}`);
}

/** Copies the shipped vendors/ into `dir` with dates around `now` (see shiftContractDates). */
export async function copyShippedVendors(root: string, dir: string, now: Date): Promise<string> {
  const { mkdir, readdir, readFile, writeFile } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(`${root}/vendors`)) {
    // SAML SP metadata files travel with their contracts, unchanged.
    if (name.endsWith('.metadata.xml')) await writeFile(`${dir}/${name}`, await readFile(`${root}/vendors/${name}`, 'utf8'));
    if (!name.endsWith('.yaml')) continue;
    await writeFile(`${dir}/${name}`, shiftContractDates(await readFile(`${root}/vendors/${name}`, 'utf8'), now));
  }
  // The demo OpenID Connect vendor names its demo-only secret relative to its contract (../config/).
  await mkdir(`${dir}/../config`, { recursive: true });
  await writeFile(`${dir}/../config/demo-oidc-client.secret`, await readFile(`${root}/config/demo-oidc-client.secret`));
  return dir;
}
