import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

// README, Notices and transparency: the public register lists every vendor, what each receives
// and how, minors rules, contract reference, dates and last review, all from the contract.
let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: loadDemoContracts('http://127.0.0.1:9') });
});
afterAll(async () => gateway.close());

interface Entry {
  id: string;
  delivery: string;
  minors: Record<string, string>;
  contract: Record<string, string>;
  receives: Array<{ field: string; as: string; kind: string; consent?: string }>;
  noticeVersion: string;
}

describe('the public register', () => {
  it('states, for every vendor, exactly its contract\'s sharing terms, minors rules, reference, dates and review', async () => {
    const response = await fetch(`${gateway.url}/privacy/vendors.json`);
    expect(response.status).toBe(200);
    const { vendors } = (await response.json()) as { vendors: Entry[] };
    expect(vendors.map((v) => v.id).sort()).toEqual([...gateway.contracts.keys()].sort());
    const html = await (await fetch(`${gateway.url}/privacy/vendors`)).text();
    for (const entry of vendors) {
      const contract = gateway.contracts.get(entry.id);
      if (!contract) throw new Error(entry.id);
      expect(entry.delivery).toBe(contract.identity.delivery);
      expect(entry.minors).toEqual({ ...contract.minors });
      expect(entry.contract).toEqual({ ...contract.contract });
      expect(entry.noticeVersion).toBe(contract.noticeVersion);
      const released = contract.rules.filter((r) => r.action !== 'drop');
      expect(entry.receives.map((r) => [r.field, r.as, r.consent])).toEqual(released.map((r) => [r.field, r.as, r.consent]));
      for (const text of [contract.name, contract.contract.reference, contract.contract.effective, contract.contract.expires, contract.contract.reviewed ?? contract.contract.expires]) expect(html).toContain(text);
    }
  });
});
