import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';

// Three dimensions (12 x 12 x 4: 576 cells and their margins) with many small cells: the protection
// (a linear program per sensitive figure) takes seconds, which is what the gateway must not wait for.
const BIG_GRANT = `id: big-grant
name: Big Grant
kind: grant
purpose: Testing reports
contract: { reference: G-7, effective: 2026-01-01, expires: 2027-12-31 }
upstream: { url: "http://127.0.0.1:9", hosts: [127.0.0.1] }
identity: { delivery: none }
report: { dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }, { name: month, from: date, generalize: month }], measures: [participants, attendances], minCellSize: 5 }
`;

let gateway: Harness;
let staff: string;

function participation(): string {
  const lines = ['patronId,branch,program,date'];
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let b = 0; b < 12; b++) for (let p = 0; p < 12; p++) for (let m = 1; m <= 4; m++) {
    const n = Math.floor(next() * 16);
    for (let i = 0; i < n; i++) lines.push(`CANARY-${b}-${p}-${m}-${i},branch${b},program${p},2026-0${m}-1${i % 10}`);
  }
  return lines.join('\n');
}

beforeAll(async () => {
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'big-grant': BIG_GRANT } });
  staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
});
afterAll(async () => gateway.close());

describe('a console report runs in a worker thread', () => {
  it('the gateway answers /healthz and the staff pages while a large report is being produced', async () => {
    const page = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: staff } })).text();
    const form = new FormData();
    form.set('csrf', /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
    form.set('grant', 'big-grant');
    form.set('format', 'preview');
    form.set('file', new Blob([participation()], { type: 'text/csv' }), 'participation.csv');
    let reportDone = false;
    const report = fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff }, body: form }).then(async (r) => {
      const text = await r.text();
      reportDone = true;
      return { status: r.status, text };
    });
    // Wait until the upload has surely arrived and the report is being worked on.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Probe until the report is done. Ordering, not time, is the evidence: a report produced on the
    // gateway's event loop would hold every probe until its own answer had gone out, so at most one
    // probe could come back while the report was still pending.
    let answeredWhilePending = 0;
    while (!reportDone) {
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: staff } })).status).toBe(200);
      if (!reportDone) answeredWhilePending += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(answeredWhilePending).toBeGreaterThan(5);
    const result = await report;
    expect(result.status).toBe(200);
    expect(result.text).toMatch(/Big Grant: report preview/);
    expect(result.text).not.toContain('CANARY');
  }, 120_000);
});
