import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadContracts } from '../../src/contracts/load-contracts.ts';
import { loadPatronFile } from '../../src/patrons/file-patron-source.ts';
import { minimize } from '../../src/minimize/minimize.ts';
import { createTestKeys, NOW } from '../helpers/contracts.ts';

/**
 * "What this vendor receives" for one fixed demo patron, per shipped contract. Widening (or
 * narrowing) a contract fails here until the golden file is updated on purpose, in the same
 * review: UPDATE_GOLDEN=1 npm test -- golden
 */
const GOLDEN_PATRON = '29000000000001';

describe('golden vendor views', async () => {
  const { contracts, problems } = await loadContracts('vendors', { signingKeyConfigured: true });
  const patron = await (await loadPatronFile('config/demo-patrons.yaml')).source.findByBarcode(GOLDEN_PATRON);
  const keys = createTestKeys();

  it('loads the shipped contracts and the golden patron', () => {
    expect(problems).toEqual([]);
    expect(contracts.size).toBe(8);
    expect(patron).toBeDefined();
  });

  it.each([...contracts.keys()])('%s receives exactly what its golden file says', async (vendor) => {
    const contract = contracts.get(vendor);
    if (!contract || !patron) throw new Error('setup failed');
    const result = minimize(patron, contract, keys, NOW);
    const actual = {
      vendor,
      delivery: contract.identity.delivery,
      access: result.access,
      view: result.view,
      released: Object.fromEntries(result.decisions.filter((d) => d.reason === 'released').map((d) => [d.field, `${d.outcome} as ${d.as}`])),
    };
    const file = `test/fixtures/golden/${vendor}.json`;
    const text = `${JSON.stringify(actual, null, 2)}\n`;
    if (process.env['UPDATE_GOLDEN'] === '1') await writeFile(file, text);
    expect(text).toBe(await readFile(file, 'utf8'));
  });
});
