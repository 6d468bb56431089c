import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreContract } from '../../src/metering/minimization-score.ts';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { checkWithPromtool, listFamilies, readSample } from '../helpers/prometheus.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

let upstream: RecordingUpstream;
let gateway: Harness;
const TOKEN = 'metrics-token-for-tests-0123456789';

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: loadDemoContracts(upstream.url), tokens: { metricsToken: TOKEN } });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const scrape = async () => (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

describe('metering', () => {
  it('scripted traffic produces exactly the expected counts', async () => {
    // Ada: accepts ebooks-demo with email; Ben: accepts without; Dev (12, no consent) is blocked.
    const ada = await gateway.acceptNotice(await gateway.login('29000000000001', '1111', { acceptNotices: false }), 'ebooks-demo', ['share-email-with-vendors']);
    const ben = await gateway.acceptNotice(await gateway.login('29000000000002', '2222', { acceptNotices: false }), 'ebooks-demo', []);
    const dev = await gateway.login('29000000000004', '4444', { acceptNotices: false });
    for (let i = 0; i < 3; i++) expect((await fetch(`${gateway.url}/v/ebooks-demo/item/${i}`, { headers: { cookie: ada } })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await fetch(`${gateway.url}/v/ebooks-demo/item/${i}`, { headers: { cookie: ben } })).status).toBe(200);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/search?q=29000000000001`, { headers: { cookie: ada } })).status).toBe(200);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie: dev } })).status).toBe(403);
    expect((await fetch(`${gateway.url}/v/streaming-demo/`, { headers: { cookie: ben } })).status).toBe(428);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/v/no-such-vendor/`, { headers: { cookie: ben } })).status).toBe(404);

    const text = await scrape();
    const count = (name: string, labels: Record<string, string>) => readSample(text, name, labels);
    expect(count('gateway_requests_total', { vendor: 'ebooks-demo', outcome: 'proxied' })).toBe(6);
    expect(count('gateway_requests_total', { vendor: 'ebooks-demo', outcome: 'blocked_minor' })).toBe(1);
    expect(count('gateway_requests_total', { vendor: 'ebooks-demo', outcome: 'unauthenticated' })).toBe(1);
    expect(count('gateway_requests_total', { vendor: 'streaming-demo', outcome: 'notice_required' })).toBe(1);
    expect(count('gateway_requests_total', { vendor: '_unknown', outcome: 'unknown_vendor' })).toBe(1);
    // Ada: 4 proxied requests with email released; Ben: 2 without consent.
    expect(count('gateway_field_releases_total', { vendor: 'ebooks-demo', field: 'email', action: 'passed' })).toBe(4);
    expect(count('gateway_field_releases_total', { vendor: 'ebooks-demo', field: 'email', action: 'withheld_no_consent' })).toBe(2);
    expect(count('gateway_field_releases_total', { vendor: 'ebooks-demo', field: 'patronId', action: 'pseudonymized' })).toBe(6);
    expect(count('gateway_field_releases_total', { vendor: 'ebooks-demo', field: 'birthDate', action: 'generalized' })).toBe(6);
    expect(count('gateway_field_releases_total', { vendor: 'ebooks-demo', field: 'firstName', action: 'withheld' })).toBe(6);
    expect(count('gateway_patron_data_caught_total', { vendor: 'ebooks-demo', location: 'query', decision: 'redacted' })).toBe(1);
    expect(count('gateway_notices_total', { vendor: 'ebooks-demo', decision: 'accepted' })).toBe(2);
    expect(count('gateway_notices_total', { vendor: 'ebooks-demo', decision: 'shown' })).toBe(2);
    expect(count('gateway_minimization_score', { vendor: 'research-db-demo', basis: 'contract' })).toBe(1);
    const ebooks = gateway.contracts.get('ebooks-demo');
    if (!ebooks) throw new Error('no contract');
    expect(count('gateway_minimization_score', { vendor: 'ebooks-demo', basis: 'contract' })).toBeCloseTo(scoreContract(ebooks), 10);
    // 6 requests x 13 fields each patron has: withheld 1, generalized .75, pseudonymized .5, passed 0.
    const traffic = count('gateway_minimization_score', { vendor: 'ebooks-demo', basis: 'traffic' });
    expect(traffic).toBeGreaterThan(0.7);
    expect(traffic).toBeLessThan(1);
    expect(text).not.toMatch(/gateway_minimization_score\{vendor="research-db-demo",basis="traffic",channel="http"\}/);
  });

  it('publishes every family the metering issue names, plus build info and Node defaults', async () => {
    expect(listFamilies(await scrape())).toEqual(
      expect.arrayContaining(['gateway_requests_total', 'gateway_field_releases_total', 'gateway_patron_data_caught_total', 'gateway_notices_total', 'gateway_upstream_errors_total', 'gateway_overhead_seconds', 'gateway_build_info', 'gateway_minimization_score']),
    );
  });

  it('passes promtool check metrics', async () => {
    const result = checkWithPromtool(await scrape());
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('needs the bearer token when one is configured', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('label values never come from a request', async () => {
    const cookie = await gateway.login('29000000000002', '2222');
    await fetch(`${gateway.url}/v/evil-vendor-name/`, { headers: { cookie } });
    await fetch(`${gateway.url}/v/ebooks-demo/${'x'.repeat(50)}`, { headers: { cookie, 'x-vendor': 'evil-header' } });
    const text = await scrape();
    expect(text).not.toMatch(/evil/);
    expect(text).not.toMatch(/xxxxxxxxxx/);
  });
});
