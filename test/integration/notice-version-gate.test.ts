import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PINS, loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

// A patron accepts the e-books notice on one gateway; the same patron (same cookies) then reaches
// a gateway running a changed contract. Every change to what leaves, where or how asks again
// (428, nothing sent); wording and dates do not. The review found new hosts and request headers
// went through on the old acknowledgement.
const ADA = '29000000000001';
const patrons = loadDemoPatrons();
let upstream: RecordingUpstream;
let gateway: Harness;
let contracts: Record<string, string>;
let ebooks: string;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  contracts = loadDemoContracts(upstream.url);
  ebooks = contracts['ebooks-demo'] ?? '';
  gateway = await startGateway({ patrons, contracts });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const edit = (from: string | RegExp, to: string) => (text: string): string => {
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`the edit ${String(from)} changed nothing`);
  return edited;
};

describe('an acknowledged notice covers exactly the sharing it described', () => {
  it.each([
    ['a new upstream host (requests may reach it)', edit('hosts: [127.0.0.1]', 'hosts: [127.0.0.1, tracker.example]')],
    ['a new forwarded request header', edit('headers: [x-requested-with]', 'headers: [x-requested-with, x-client-data]')],
    ['a new upstream base path', edit(/(url: http:\/\/127\.0\.0\.1:\d+)/, '$1/other')],
    ['request bodies limited to a type list', edit('onPatronData: redact', 'onPatronData: redact\n  bodyTypes: [application/json]')],
    ['the assertion in another header', edit('header: Authorization', 'header: X-Patron-Token')],
    ['a longer assertion lifetime', edit('lifetimeSeconds: 300', 'lifetimeSeconds: 3600')],
    ['block instead of redact', edit('onPatronData: redact', 'onPatronData: block')],
    ['a rule added', edit('minors:', '  homeBranch: { action: pass }\nminors:')],
  ])('asks again after %s', async (_name, change) => {
    const changed = await startGateway({ patrons, contracts: { ...contracts, 'ebooks-demo': change(ebooks) } });
    try {
      const cookie = await gateway.acceptNotice(await gateway.login(ADA, DEMO_PINS[ADA] ?? '', { acceptNotices: false }), 'ebooks-demo', []);
      expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(200);
      const before = upstream.requests.length;
      expect(changed.contracts.get('ebooks-demo')?.noticeVersion).not.toBe(gateway.contracts.get('ebooks-demo')?.noticeVersion);
      expect((await fetch(`${changed.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(428);
      expect(upstream.requests.length).toBe(before);
    } finally {
      await changed.close();
    }
  });

  it.each([
    ['a renamed service and reworded purpose', edit('en: Borrow e-books and audiobooks', 'en: Borrow e-books, audiobooks and magazines')],
    ['a renewed contract (new expiry and reference)', (t: string) => edit('expires: 2027-12-31', 'expires: 2029-12-31')(edit('reference: DEMO-2026-01', 'reference: DEMO-2028-01')(t))],
    ['a longer timeout', edit('timeoutMs: 10000', 'timeoutMs: 20000')],
  ])('does not ask again after %s', async (_name, change) => {
    const changed = await startGateway({ patrons, contracts: { ...contracts, 'ebooks-demo': change(ebooks) } });
    try {
      const cookie = await gateway.acceptNotice(await gateway.login(ADA, DEMO_PINS[ADA] ?? '', { acceptNotices: false }), 'ebooks-demo', []);
      expect((await fetch(`${changed.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(200);
    } finally {
      await changed.close();
    }
  });
});
