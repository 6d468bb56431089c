import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoVendorServer } from '../../src/demo/demo-vendor.ts';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { BIG_GRANT, bigParticipation, readChunks, uploadReport } from '../helpers/staff-report-upload.ts';

// README, Settings (reports.maxConcurrent) and Grant reports: at most maxConcurrent reports run at
// once; past it staff get a 503 page ("another report is running") and the proxy keeps serving.
let vendor: Server;
let gateway: Harness;
let staff: string;
let patron: string;

function smallFile(): string {
  const lines = ['patronId,birthDate,postalCode,date'];
  for (let i = 0; i < 15; i++) lines.push(`kid-${i},2017-0${1 + (i % 9)}-15,06880,2026-07-${10 + i}`);
  return lines.join('\n');
}

beforeAll(async () => {
  vendor = createDemoVendorServer({ name: 'Demo vendor' });
  await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
  gateway = await startGateway({
    patrons: loadDemoPatrons(),
    contracts: { ...loadDemoContracts(`http://127.0.0.1:${(vendor.address() as AddressInfo).port}`), 'big-grant': BIG_GRANT, 'state-grant-demo': readFileSync('vendors/state-grant-demo.yaml', 'utf8') },
    settings: { reports: { maxConcurrent: 1 } },
  });
  staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
  patron = await gateway.login('29000000000001', '1111');
}, 60_000);
afterAll(async () => {
  await gateway?.close();
  vendor?.closeAllConnections();
  vendor?.close();
});

describe('console reports are bounded by reports.maxConcurrent', () => {
  it('past the bound staff get a clear 503 page while the proxy keeps serving; the slot is free again when the report ends', async () => {
    // The first report's page starts streaming once its worker reads the file: it holds the one slot.
    const first = await uploadReport(gateway, staff, { grant: 'big-grant', format: 'preview' }, bigParticipation(4).text);
    expect(first.status).toBe(200);

    const refused = await uploadReport(gateway, staff, { grant: 'state-grant-demo', format: 'preview' }, smallFile());
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    const page = await refused.text();
    expect(page).toMatch(/Another report is running\. Please try again shortly\./);
    expect(page).not.toMatch(/kid-|06880/);

    // The proxy, /healthz and the staff pages answer meanwhile; a second refusal afterwards shows
    // the first report was still running through all of them (ordering, not time, is the evidence).
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const proxied = await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie: patron } });
    expect(proxied.status).toBe(200);
    expect(await proxied.text()).toMatch(/Demo vendor/);
    expect((await fetch(`${gateway.url}/staff`, { headers: { cookie: staff } })).status).toBe(200);
    expect((await uploadReport(gateway, staff, { grant: 'state-grant-demo', format: 'csv', period: '2026-Q3' }, smallFile())).status).toBe(503);

    // The first report finishes whole.
    const text = (await readChunks(first)).join('');
    expect(text).toContain('data-phase="done"');
    expect(text).not.toContain('CANARY');

    // Its slot is free: the next report runs.
    const next = await uploadReport(gateway, staff, { grant: 'state-grant-demo', format: 'preview' }, smallFile());
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('data-phase="done"');
  }, 180_000);

  it('the refusal is in the error catalogue: JSON for API clients, in Spanish for Spanish readers', async () => {
    const first = await uploadReport(gateway, staff, { grant: 'big-grant', format: 'preview' }, bigParticipation(4).text);
    expect(first.status).toBe(200);
    const tokenPage = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie: staff } })).text();
    const form = new FormData();
    form.set('csrf', /name="csrf" value="([^"]+)"/.exec(tokenPage)?.[1] ?? '');
    form.set('grant', 'state-grant-demo');
    form.set('file', new Blob([smallFile()]), 'p.csv');
    const api = await fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff, accept: 'application/json' }, body: form });
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({ error: 'reports_busy', message: 'Another report is running. Please try again shortly.' });
    const spanish = await fetch(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie: staff, accept: 'text/html', 'accept-language': 'es' }, body: form });
    expect(spanish.status).toBe(503);
    expect(await spanish.text()).toMatch(/Se está generando otro informe/);
    expect((await readChunks(first)).join('')).toContain('data-phase="done"');
  }, 180_000);
});
