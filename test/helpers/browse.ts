import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemoBrowseSite, type DemoSite } from '../../src/demo/demo-browse-site.ts';
import { encodeHostLabel } from '../../src/channels/browse/host-labels.ts';

/** The proxy host tests put vendor origins under (the harness adds the gateway's port). */
export const PROXY_HOST = 'proxy.localhost';

export interface BrowseAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly setCookies: ReadonlyArray<string>;
  readonly body: string;
}

/** One request to the gateway's listener naming `host` in its Host header (Node's fetch cannot). */
export function browseRequest(gatewayUrl: string, host: string, path: string, options: { method?: string; cookie?: string; headers?: Record<string, string>; body?: string } = {}): Promise<BrowseAnswer> {
  const target = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, method: options.method ?? 'GET', path, headers: { host, accept: 'text/html', ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies: res.headers['set-cookie'] ?? [], body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The Host a vendor host is served at: its label under the proxy domain. */
export function proxiedHost(upstreamHost: string, gatewayUrl: string): string {
  return `${encodeHostLabel(upstreamHost) as string}.${PROXY_HOST}:${new URL(gatewayUrl).port}`;
}

/** The demo website on a loopback port of its own. */
export async function startDemoSite(): Promise<DemoSite & { port: number; close(): Promise<void> }> {
  const site = createDemoBrowseSite();
  await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
  const port = (site.server.address() as AddressInfo).port;
  return Object.assign(site, {
    port,
    close: () => new Promise<void>((resolve) => {
      site.server.closeAllConnections();
      site.server.close(() => resolve());
    }),
  });
}

/**
 * The demo website's contract for a site on `port`, pinned to loopback: `host` (default the pages
 * host) and `extraHosts` (default the CDN and API hosts); `browse` is YAML added under browse:.
 */
export function demoSiteContract(id: string, port: number, options: { pin?: boolean; browse?: string; host?: string; extraHosts?: ReadonlyArray<string>; minors?: string } = {}): string {
  const host = options.host ?? 'pages.browse-demo.example';
  const hosts = [host, ...(options.extraHosts ?? ['cdn.browse-demo.example', 'api.browse-demo.example'])];
  const pin = options.pin ?? true;
  return `id: ${id}
name: ${id} website
kind: database
purpose: Testing browse mode
contract: { reference: T-${id}, effective: 2026-01-01, expires: 2027-12-31 }
upstream:
  url: http://${host}:${port}/
  hosts: [${hosts.join(', ')}]
  timeoutMs: 2000
${pin ? `  pin: { ${hosts.map((h) => `${h}: 127.0.0.1`).join(', ')} }\n` : ''}browse:
  block: { defaults: true }
${hosts.includes('api.browse-demo.example') ? `  scriptHosts: [api.browse-demo.example:${port}]\n` : ''}${options.browse ?? ''}
identity: { delivery: none }
preset: anonymous
minors: { under13: ${options.minors ?? 'anonymous'} }
request: { onPatronData: block }
`;
}

/**
 * Signs in, starts browsing `vendor` at /browse/{vendor}, and follows the hand-off through every
 * origin's /.gw/enter; returns each origin's cookie (by Host) and where the chain landed.
 */
export async function enterVendor(gatewayUrl: string, gatewayCookie: string, vendor: string): Promise<{ cookies: Map<string, string>; landing: string; locations: string[] }> {
  const start = await fetch(`${gatewayUrl}/browse/${vendor}`, { headers: { cookie: gatewayCookie, accept: 'text/html' }, redirect: 'manual' });
  let location = start.headers.get('location') ?? '';
  if (start.status !== 303) throw new Error(`/browse/${vendor} answered ${start.status}`);
  const cookies = new Map<string, string>();
  const locations = [location];
  for (let hop = 0; hop < 10; hop++) {
    const url = new URL(location);
    if (url.pathname !== '/.gw/enter') break;
    const answer = await browseRequest(gatewayUrl, url.host, `${url.pathname}${url.search}`);
    if (answer.status !== 303) throw new Error(`${url.host}/.gw/enter answered ${answer.status}`);
    const cookie = answer.setCookies[0]?.split(';')[0];
    if (cookie) cookies.set(url.host, cookie);
    const next = String(answer.headers.location ?? '');
    location = next.startsWith('/') ? `${url.origin}${next}` : next;
    locations.push(location);
  }
  return { cookies, landing: location, locations };
}
