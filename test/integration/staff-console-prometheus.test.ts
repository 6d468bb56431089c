import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { preparePrometheus, type TestPrometheus } from '../helpers/prometheus-server.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { waitUntil } from '../helpers/wait-until.ts';

const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Array<{ name: string; metrics: Array<{ value: string; labels: Record<string, string> }> }>;

const STAFF_TOKEN = 'staff-token-for-prometheus-tests-0123';
const MEASURES = ['requests', 'declines', 'blockedMinors', 'caught', 'blockedTrackers'] as const;
let upstream: RecordingUpstream;
let prometheus: TestPrometheus;
let gateway: Harness;

/** The scripted traffic, and what each vendor's row must then say. */
const EXPECTED: Record<string, Record<(typeof MEASURES)[number], string>> = {
  'ebooks-demo': { requests: '7', declines: '0', blockedMinors: '0', caught: '2', blockedTrackers: '' },
  'streaming-demo': { requests: '6', declines: '0', blockedMinors: '2', caught: '1', blockedTrackers: '' },
  'research-db-demo': { requests: '1', declines: '1', blockedMinors: '0', caught: '0', blockedTrackers: '' },
};

async function staffPage(path: string, harness: Harness = gateway): Promise<{ status: number; text: string }> {
  const response = await fetch(`${harness.url}${path}`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
  return { status: response.status, text: await response.text() };
}

/** The figures of one vendor's row of the overview, by measure (the data-value attributes). */
function readRow(page: string, vendor: string): Record<string, string> {
  const row = new RegExp(`<tr data-vendor="${vendor}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
  return Object.fromEntries([...row.matchAll(/data-figure="([a-zA-Z]+)" data-value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

async function get(path: string, cookie: string): Promise<void> {
  await (await fetch(`${gateway.url}${path}`, { headers: { cookie }, redirect: 'manual' })).arrayBuffer();
}

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  prometheus = await preparePrometheus();
  gateway = await startGateway({
    patrons: loadDemoPatrons(),
    contracts: loadDemoContracts(upstream.url),
    tokens: { staffToken: STAFF_TOKEN },
    settings: { admin: { staffPatronTypes: ['staff'], prometheus: { url: prometheus.url, timeoutMs: 5000 } } },
  });
  await prometheus.start(new URL(gateway.url).host);
  // The first scrape comes before any traffic: every contract vendor's series starts at 0.
  await waitUntil(async () => (await prometheus.query('up{job="gateway"} == 1')).length === 1, 'prometheus has scraped the gateway', 30_000, 200);

  const ada = await gateway.login('29000000000001', '1111');
  for (let i = 0; i < 5; i++) await get('/v/ebooks-demo/books', ada);
  for (let i = 0; i < 2; i++) await get('/v/ebooks-demo/search?q=29000000000001', ada);
  for (let i = 0; i < 3; i++) await get('/v/streaming-demo/watch', ada);
  await get(`/v/streaming-demo/search?q=${encodeURIComponent('ada.demo@example.org')}`, ada);
  const dev = await gateway.login('29000000000004', '4444', { acceptNotices: false });
  for (let i = 0; i < 2; i++) await get('/v/streaming-demo/', dev);
  const ben = await gateway.login('29000000000002', '2222', { acceptNotices: false });
  const notice = await (await fetch(`${gateway.url}/notices/research-db-demo`, { headers: { cookie: ben } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(notice)?.[1] ?? '';
  await fetch(`${gateway.url}/notices/research-db-demo`, { method: 'POST', redirect: 'manual', headers: { cookie: ben, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, decision: 'decline' }).toString() });

  // Bounded: until Prometheus has scraped every request made.
  const total = Object.values(EXPECTED).reduce((sum, row) => sum + Number(row.requests), 0);
  await waitUntil(async () => Number((await prometheus.query('sum(gateway_requests_total)'))[0]?.value[1] ?? 0) === total, `prometheus holds all ${total} requests`, 30_000, 200);
}, 90_000);

afterAll(async () => {
  await gateway?.close();
  await prometheus?.close();
  await upstream?.close();
});

describe('the staff console reads its figures from a real Prometheus', () => {
  it("shows, in every window, exactly the scripted requests, declines, minors refused and patron data caught, as Prometheus's", async () => {
    // The gateway's own counters agree with the script (so the script did what it says).
    const exposition = parse(await (await fetch(`${gateway.url}/metrics`)).text());
    const requests = exposition.find((f) => f.name === 'gateway_requests_total')?.metrics ?? [];
    for (const [vendor, row] of Object.entries(EXPECTED)) {
      expect(requests.filter((s) => s.labels['vendor'] === vendor).reduce((t, s) => t + Number(s.value), 0)).toBe(Number(row.requests));
    }
    for (const window of ['', '?window=7d', '?window=30d']) {
      const { status, text } = await staffPage(`/staff${window}`);
      expect(status).toBe(200);
      expect(text).toMatch(/data-basis="prometheus"/);
      for (const [vendor, row] of Object.entries(EXPECTED)) expect({ vendor, window, ...readRow(text, vendor) }).toEqual({ vendor, window, ...row });
      // Nothing before the window: every figure above zero is new.
      expect(text).toMatch(/<tr data-vendor="ebooks-demo">[\s\S]*?data-figure="requests" data-value="7">7<\/span> <span class="trend" data-trend="new">/);
    }
    const alerts = (await staffPage('/staff')).text;
    expect(alerts).toMatch(/<li data-alert="caught">Patron data was caught 3 times in requests to vendors \(last 24 hours\): Demo E-books, Demo Streaming\.<\/li>/);
    expect(alerts).toMatch(/<li data-alert="blocked-minors">2 requests were refused because of the patron&#39;s age \(last 24 hours\): Demo Streaming\.<\/li>/);
  });

  it('draws requests and releases per day on the vendor page, each chart with its table, matching the counters', async () => {
    const { text } = await staffPage('/staff/vendors/ebooks-demo');
    const days = (chart: string) => {
      const section = new RegExp(`data-chart="${chart}">([\\s\\S]*?)</table>`).exec(text)?.[1] ?? '';
      return [...section.matchAll(/<tr data-day="(\d{4}-\d{2}-\d{2})"><td>[^<]*<\/td><td>(\d+)<\/td><\/tr>/g)].map((m) => Number(m[2]));
    };
    expect(text).toMatch(/<svg role="img" aria-labelledby="requests-ebooks-demo-title"/);
    expect(text).toMatch(/<svg role="img" aria-labelledby="releases-ebooks-demo-title"/);
    const requests = days('requests-ebooks-demo');
    expect(requests).toHaveLength(14);
    expect(requests.at(-1)).toBe(7);
    expect(requests.reduce((a, b) => a + b, 0)).toBe(7);
    const exposition = parse(await (await fetch(`${gateway.url}/metrics`)).text());
    const released = (exposition.find((f) => f.name === 'gateway_field_releases_total')?.metrics ?? [])
      .filter((s) => s.labels['vendor'] === 'ebooks-demo' && ['passed', 'pseudonymized', 'generalized'].includes(s.labels['action'] ?? ''))
      .reduce((t, s) => t + Number(s.value), 0);
    expect(released).toBeGreaterThan(0);
    expect(days('releases-ebooks-demo').reduce((a, b) => a + b, 0)).toBe(released);
  });

  it("says when Prometheus holds nothing of this gateway (its selector matches no series), and shows counts since start", async () => {
    const other = await startGateway({
      patrons: loadDemoPatrons(),
      contracts: loadDemoContracts(upstream.url),
      tokens: { staffToken: STAFF_TOKEN },
      settings: { admin: { staffPatronTypes: ['staff'], prometheus: { url: prometheus.url, timeoutMs: 5000, selector: 'job="not-this-gateway"' } } },
    });
    try {
      const { status, text } = await staffPage('/staff', other);
      expect(status).toBe(200);
      expect(text).toMatch(/data-basis="since-start" data-reason="no-data"/);
    } finally {
      await other.close();
    }
  });

  it('falls back to counts since start, and says so, when Prometheus is down; the log names no address', async () => {
    await prometheus.kill();
    const { status, text } = await staffPage('/staff');
    expect(status).toBe(200);
    expect(text).toMatch(/data-basis="since-start" data-reason="unreachable" role="status">The library&#39;s Prometheus could not be read just now/);
    for (const [vendor, row] of Object.entries(EXPECTED)) expect({ vendor, ...readRow(text, vendor) }).toEqual({ vendor, ...row });
    const vendorPage = await staffPage('/staff/vendors/streaming-demo');
    expect(vendorPage.status).toBe(200);
    expect(vendorPage.text).toMatch(/data-reason="unreachable"/);
    const warnings = gateway.logs.filter((line) => line.includes('could not read Prometheus'));
    expect(warnings.length).toBeGreaterThan(0);
    for (const line of warnings) {
      expect(JSON.parse(line)).toMatchObject({ kind: 'unreachable' });
      expect(line).not.toContain(String(prometheus.port));
    }
  });
});

describe('a Prometheus that answers badly never fails the console', () => {
  it.each([
    ['never answers (the read gives up after admin.prometheus.timeoutMs)', 'silent', 'timeout'],
    ['answers 500 with an HTML page', 'broken', 'bad_answer'],
    ['answers JSON of another shape', 'odd', 'bad_answer'],
  ] as const)('a Prometheus that %s: the page says so and shows counts since start', async (_name, mode, kind) => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      if (mode === 'silent') return;
      if (mode === 'broken') res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: 'x' }] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const other = await startGateway({
      patrons: loadDemoPatrons(),
      contracts: loadDemoContracts(upstream.url),
      tokens: { staffToken: STAFF_TOKEN },
      settings: { admin: { staffPatronTypes: ['staff'], prometheus: { url: `http://127.0.0.1:${port}`, timeoutMs: 300 } } },
    });
    try {
      const { status, text } = await staffPage('/staff', other);
      expect(status).toBe(200);
      expect(text).toMatch(/data-basis="since-start" data-reason="unreachable"/);
      const warnings = other.logs.filter((line) => line.includes('could not read Prometheus'));
      expect(warnings.map((line) => (JSON.parse(line) as { kind: string }).kind)).toEqual([kind]);
      for (const line of warnings) expect(line).not.toContain(String(port));
    } finally {
      await other.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
