import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import type { GatewayError } from '../../../../../src/errors/gateway-error.ts';
import { createForwardStage } from '../../../../../src/channels/proxy/forward/forward-stage.ts';
import type { ProxyContext } from '../../../../../src/channels/proxy/proxy-context.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../../../../helpers/recording-upstream.ts';
import { compileVendor, makeContext, outcomeOf } from '../stage-fixtures.ts';

/**
 * Forward is thin: http-proxy-middleware does the work. These tests put a real loopback vendor
 * behind a real loopback "gateway" server whose handler builds the context and runs the stage.
 */
let upstream: RecordingUpstream;
let gateway: Server;
let gatewayUrl: string;
let closedPort: number;
let stage: ReturnType<typeof createForwardStage>;
let contracts: Map<string, CompiledContract>;
const inFlight = new WeakMap<IncomingMessage, ProxyContext>();
const seen: Array<{ context: ProxyContext; result?: unknown; responseStatus?: number; error?: GatewayError }> = [];
/** How the next request's context is prepared (what earlier stages would have left). */
let prepare: (context: ProxyContext) => void = () => {};

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  contracts = new Map(
    [
      compileVendor('books', { upstream: `upstream: { url: "${upstream.url}/base", hosts: [127.0.0.1], timeoutMs: 300 }` }),
      compileVendor('gone', { upstream: `upstream: { url: "http://127.0.0.1:${closedPort}", hosts: [127.0.0.1] }` }),
    ].map((c) => [c.id, c]),
  );
  stage = createForwardStage({
    contracts,
    onResponse: (context, response) => {
      const entry = seen.find((s) => s.context === context);
      if (entry) entry.responseStatus = response.statusCode;
    },
    onError: (context, error) => {
      const entry = seen.find((s) => s.context === context);
      if (entry) entry.error = error;
      context.res.statusCode = error.status;
      context.res.end(error.code);
    },
    socketsPerVendor: 16,
  });
  gateway = createServer(async (req, res) => {
    // Scrub request reads a body it checks (context.body); forward sends that, not the stream.
    if (req.method === 'POST') for await (const _chunk of req) continue;
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const vendor = req.headers['x-test-vendor'] as string;
    const context = makeContext({ req, res, contract: contracts.get(vendor), upstreamPath: path, query });
    prepare(context);
    const entry: (typeof seen)[number] = { context };
    seen.push(entry);
    inFlight.set(req, context);
    Promise.resolve(stage.run?.(context)).then((result) => (entry.result = result), () => res.end());
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stage.close();
  gateway.closeAllConnections();
  await new Promise<void>((resolve) => gateway.close(() => resolve()));
  await upstream.close();
});

async function send(vendor: string, target: string, init: RequestInit = {}): Promise<{ status: number; text: string; entry: (typeof seen)[number] | undefined }> {
  const response = await fetch(`${gatewayUrl}${target}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-test-vendor': vendor } });
  const text = await response.text();
  return { status: response.status, text, entry: seen.at(-1) };
}

describe('forward stage', () => {
  it('sends the context\'s path, query, scrubbed headers and body to the contract\'s upstream, and hands the request over', async () => {
    prepare = (context) => {
      context.upstreamPath = '/shelf/%5Bredacted%5D';
      context.query = 'q=dune';
      context.headers = { accept: 'application/json', 'content-type': 'application/json', 'content-length': '11' };
      context.body = Buffer.from('{"a":"[r]"}');
    };
    upstream.respond((_req, res) => res.end('from vendor'));
    const before = upstream.requests.length;
    const { status, text, entry } = await send('books', '/original/path?card=21234000123456', { method: 'POST', headers: { cookie: 'gw_session=secret', 'x-patron': 'leak' }, body: 'original body' });
    expect(status).toBe(200);
    expect(text).toBe('from vendor');
    const received = upstream.requests[before];
    expect(received?.method).toBe('POST');
    // Under the contract's base path; the original target and headers never leave.
    expect(received?.url).toBe('/base/shelf/%5Bredacted%5D?q=dune');
    expect(received?.body.toString()).toBe('{"a":"[r]"}');
    expect(received?.headers['cookie']).toBeUndefined();
    expect(received?.headers['x-patron']).toBeUndefined();
    expect(received?.headers['x-test-vendor']).toBeUndefined();
    expect(received?.headers['accept']).toBe('application/json');
    expect(received?.headers['x-forwarded-for']).toBeUndefined();
    expect(received?.headers['host']).toBe(new URL(upstream.url).host);
    expect(entry?.result).toBe('handled');
    expect(entry?.context.outcome).toBe('proxied');
    expect(entry?.responseStatus).toBe(200);
  });

  it('a redirect from the vendor is passed back, never followed (the gateway goes nowhere the contract does not say)', async () => {
    prepare = () => {};
    upstream.respond((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'https://elsewhere.example/');
      res.end();
    });
    const before = upstream.requests.length;
    const { status } = await send('books', '/go', { redirect: 'manual' });
    expect(status).toBe(302);
    expect(upstream.requests.length).toBe(before + 1);
  });

  it.each([
    ['a vendor nobody listens for is unreachable (502, counted as refused)', 'gone', () => {}, 'upstream_unreachable', 'refused', 502],
    ['a vendor that does not answer in time times out (504, counted as timeout)', 'books', () => upstream.respond(() => {}), 'upstream_timeout', 'timeout', 504],
  ])('%s', async (_name, vendor, arrange, code, kind, status) => {
    prepare = () => {};
    arrange();
    const response = await send(vendor, '/x');
    expect(response.status).toBe(status);
    expect(response.entry?.error?.code).toBe(code);
    expect(response.entry?.context.upstreamError).toBe(kind);
  });

  it('a context whose contract has no proxy is an internal error (a grant, or forward before match)', async () => {
    const grant = compileVendor('grant', { kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: age, from: birthDate, generalize: ageBand }], measures: [participants] }' });
    const lone = createForwardStage({ contracts: new Map([[grant.id, grant]]), onResponse: () => {}, onError: () => {}, socketsPerVendor: 1 });
    expect(await outcomeOf(lone, makeContext({ contract: grant }))).toBe('internal');
    expect(await outcomeOf(lone, makeContext())).toBe('internal');
    lone.close();
  });
});
