import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderContractJsonSchema } from '../../src/contracts/contract-json-schema.ts';

describe('vendors/schema.json', () => {
  it('is current with the contract schema (regenerate with npm run export-schema)', async () => {
    expect(await readFile('vendors/schema.json', 'utf8')).toBe(renderContractJsonSchema());
  });

  it('describes the keys staff write', () => {
    const schema = JSON.parse(renderContractJsonSchema()) as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['id', 'name', 'kind', 'purpose', 'contract', 'upstream', 'identity', 'fields', 'minors', 'request', 'report', 'preset']));
    expect(schema.additionalProperties).toBe(false);
  });
});
