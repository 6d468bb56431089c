import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { browseRequest, enterVendor, PROXY_HOST, proxiedHost } from '../helpers/browse.ts';

/**
 * The request a vendor website receives through browse mode: only to the host the origin stands
 * for, at its pinned address (with the right Host), never to loopback, private or metadata
 * addresses DNS or a literal names (SSRF); with the /v/ header allowlist, the patron-value guard,
 * identity delivery and vendor cookies bound to the patron, kept per origin.
 */
const PATRON = { patronId: 'p-up-1', barcode: '27200000000001', birthDate: '1980-01-01', email: 'canary.upstream@example.org', patronType: 'adult' };

let upstream: RecordingUpstream;
let gateway: Harness;

function contract(id: string, url: string, body: string): string {
  return `id: ${id}
name: ${id} website
kind: database
purpose: Testing browse mode
contract: { reference: T-${id}, effective: 2026-01-01, expires: 2027-12-31 }
${body.replace('URL', url)}
minors: { under13: anonymous }
`;
}

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const port = upstream.port;
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '2222' }],
    contracts: {
      // Pinned: www.pinned.example and cdn.pinned.example are served by the loopback upstream.
      pinned: contract('pinned', `http://www.pinned.example:${port}/`, `upstream:\n  url: URL\n  hosts: [www.pinned.example, cdn.pinned.example]\n  timeoutMs: 2000\n  pin: { www.pinned.example: 127.0.0.1, cdn.pinned.example: 127.0.0.1 }\nbrowse:\n  block: { paths: [/telemetry/] }\nidentity: { delivery: headers }\npreset: pseudonymous\nrequest: { onPatronData: block }`),
      // Not pinned: localhost resolves to loopback, which is refused.
      byname: contract('byname', `http://localhost:${port}/`, `upstream:\n  url: URL\n  hosts: [localhost]\n  timeoutMs: 2000\nbrowse: {}\nidentity: { delivery: none }\npreset: anonymous`),
      // Not pinned: a literal private address is refused without a lookup.
      literal: contract('literal', `http://127.0.0.1:${port}/`, `upstream:\n  url: URL\n  hosts: [127.0.0.1]\n  timeoutMs: 2000\nbrowse: {}\nidentity: { delivery: none }\npreset: anonymous`),
    },
    browse: { proxyHost: PROXY_HOST },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function enter(vendor: string): Promise<{ host: (upstreamHost: string) => string; cookies: Map<string, string> }> {
  const cookie = await gateway.login(PATRON.barcode, '2222');
  const entered = await enterVendor(gateway.url, cookie, vendor);
  return { host: (upstreamHost) => proxiedHost(`${upstreamHost}:${upstream.port}`, gateway.url), cookies: entered.cookies };
}

describe('where the request goes', () => {
  it('a pinned host is reached at its pinned address with its own name in Host, and the path and query as asked', async () => {
    const { host, cookies } = await enter('pinned');
    const before = upstream.requests.length;
    const answer = await browseRequest(gateway.url, host('www.pinned.example'), '/search?q=rivers', { cookie: cookies.get(host('www.pinned.example')) });
    expect(answer.status).toBe(200);
    const received = upstream.requests.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers.host).toBe(`www.pinned.example:${upstream.port}`);
    expect(received[0]?.url).toBe('/search?q=rivers');
  });

  const refused = [
    { name: 'a host whose DNS answer is loopback is refused (SSRF), whatever the contract allows, unless pinned', vendor: 'byname', upstreamHost: 'localhost' },
    { name: 'a literal loopback address is refused (SSRF) unless pinned', vendor: 'literal', upstreamHost: '127.0.0.1' },
  ];
  for (const row of refused) {
    it(row.name, async () => {
      const { host, cookies } = await enter(row.vendor);
      const before = upstream.requests.length;
      const answer = await browseRequest(gateway.url, host(row.upstreamHost), '/', { cookie: cookies.get(host(row.upstreamHost)), headers: { accept: 'application/json' } });
      expect(answer.status).toBe(502);
      expect(answer.body).not.toContain('127.0.0.1');
      expect(answer.body).not.toContain('localhost');
      expect(upstream.requests.length).toBe(before);
    });
  }
});

describe('what the request carries', () => {
  it('only allowlisted headers and the contract identity: no gateway cookie, no X-Forwarded-For, no Referer; Origin mapped back to the vendor host', async () => {
    const { host, cookies } = await enter('pinned');
    const www = host('www.pinned.example');
    const before = upstream.requests.length;
    await browseRequest(gateway.url, www, '/page', { cookie: `${cookies.get(www)}; other=1`, headers: { referer: `http://${www}/from`, origin: `http://${host('cdn.pinned.example')}`, 'x-forwarded-for': '10.1.2.3' } });
    const received = upstream.requests[before];
    expect(received?.headers.cookie).toBeUndefined();
    expect(received?.headers['x-forwarded-for']).toBeUndefined();
    expect(received?.headers.referer).toBeUndefined();
    expect(received?.headers.origin).toBe(`http://cdn.pinned.example:${upstream.port}`);
    // The pseudonymous preset, delivered as headers: a pseudonym, never the card or the email.
    expect(Object.keys(received?.headers ?? {}).some((name) => name.startsWith('x-patron-'))).toBe(true);
    expect(received?.all).not.toContain(PATRON.barcode);
    expect(received?.all).not.toContain(PATRON.email);
  });

  it("an Origin from another vendor's origin is dropped, not mapped", async () => {
    const { host, cookies } = await enter('pinned');
    const www = host('www.pinned.example');
    const before = upstream.requests.length;
    await browseRequest(gateway.url, www, '/page', { cookie: cookies.get(www), headers: { origin: `http://${host('localhost')}` } });
    expect(upstream.requests[before]?.headers.origin).toBeUndefined();
  });

  it("the patron-value guard runs on vendor origins: the patron's card number in the query is refused and never reaches the vendor", async () => {
    const { host, cookies } = await enter('pinned');
    const www = host('www.pinned.example');
    const before = upstream.requests.length;
    const answer = await browseRequest(gateway.url, www, `/search?card=${PATRON.barcode}`, { cookie: cookies.get(www) });
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain(PATRON.barcode);
    expect(upstream.requests.length).toBe(before);
    // Counted like /v/ (location only), and nothing of the patron's in the log or the metrics.
    const metrics = await gateway.app.metrics.registry.metrics();
    expect(metrics).toMatch(/gateway_patron_data_caught_total\{vendor="pinned",location="query",decision="blocked",channel="http"\} [1-9]/);
    for (const value of [PATRON.barcode, PATRON.email]) {
      expect(gateway.logs.join('\n')).not.toContain(value);
      expect(metrics).not.toContain(value);
    }
  });

  it('a vendor cookie with Domain= is kept on the origin that got it only, marked and bound to the patron, and sent back to that host only', async () => {
    upstream.respond((_req, res) => {
      res.setHeader('Set-Cookie', 'vsession=abc123; Domain=pinned.example; Path=/account; HttpOnly');
      res.setHeader('Content-Type', 'text/plain');
      res.end('ok');
    });
    try {
      const { host, cookies } = await enter('pinned');
      const www = host('www.pinned.example');
      const answer = await browseRequest(gateway.url, www, '/login', { cookie: cookies.get(www) });
      const set = answer.setCookies.find((c) => c.startsWith('vc.pinned.vsession='));
      expect(set).toBeDefined();
      expect(set).not.toMatch(/domain=/i);
      expect(set).toMatch(/Path=\//);
      const stored = (set as string).split(';')[0] as string;
      const before = upstream.requests.length;
      await browseRequest(gateway.url, www, '/account', { cookie: `${cookies.get(www)}; ${stored}` });
      expect(upstream.requests[before]?.headers.cookie).toBe('vsession=abc123');
      // The same cookie shown by a browser to the CDN origin would not hold it (host-only); sent there anyway, it goes only to that host.
    } finally {
      upstream.respond((_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end('{"ok":true}');
      });
    }
  });
});

describe('collection endpoints', () => {
  const table = [
    { name: "a path the contract blocks (browse.block.paths) is refused with 403 and counted, never reaching the vendor", path: '/telemetry/event' },
    { name: 'a path from the shipped default list (/g/collect) is refused with 403 and counted', path: '/g/collect?v=2&tid=G-1' },
    { name: 'the default list is matched whatever the case and percent-encoding', path: '/G/%43ollect' },
  ];
  for (const row of table) {
    it(row.name, async () => {
      const { host, cookies } = await enter('pinned');
      const www = host('www.pinned.example');
      const metric = async (): Promise<number> => Number(/gateway_blocked_hosts_total\{vendor="pinned",host_kind="analytics"\} (\d+)/.exec(await gateway.app.metrics.registry.metrics())?.[1] ?? '0');
      const counted = await metric();
      const before = upstream.requests.length;
      const answer = await browseRequest(gateway.url, www, row.path, { cookie: cookies.get(www) });
      expect(answer.status).toBe(403);
      expect(upstream.requests.length).toBe(before);
      expect(await metric()).toBe(counted + 1);
    });
  }

  it('a path that only starts like a listed one (/collections) is not blocked', async () => {
    const { host, cookies } = await enter('pinned');
    const www = host('www.pinned.example');
    expect((await browseRequest(gateway.url, www, '/collections/maps', { cookie: cookies.get(www) })).status).toBe(200);
  });
});
