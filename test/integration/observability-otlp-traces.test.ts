import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// observability.otlp.url: the gateway sends its traces to an OTLP/HTTP receiver. The receiver here
// is a plain HTTP server that keeps every export body and decodes it as OTLP JSON.
const CANARY = { patronId: 'CANotl6631', barcode: '29990000006631', firstName: 'Perpetua', lastName: 'Spanfellow', email: 'perpetua.canary@canary-mail.example', birthDate: '1983-02-11' };
const PIN = '6631';
const VALUES = [CANARY.patronId, CANARY.barcode, CANARY.firstName, CANARY.lastName, CANARY.email, CANARY.birthDate];

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes?: Array<{ key: string; value: { stringValue?: string } }>;
}

let receiver: Server;
const exports: string[] = [];
let vendor: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      exports.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  vendor = await startRecordingUpstream();
  vendor.respond((req, res) => {
    res.statusCode = req.url?.includes('broken') ? 503 : 200;
    res.end('{}');
  });
  gateway = await startGateway({
    patrons: [{ record: CANARY, pin: PIN }],
    contracts: { books: testContract('books', vendor.url, 'identity: { delivery: none }') },
    settings: { observability: { otlp: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces` } } },
  });
  cookie = await gateway.login(CANARY.barcode, PIN);
});
afterAll(async () => {
  await gateway.close();
  await vendor.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

function spansReceived(): OtlpSpan[] {
  return exports.flatMap((text) => {
    const decoded = JSON.parse(text) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }> };
    return (decoded.resourceSpans ?? []).flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => s.spans ?? []));
  });
}

const attribute = (span: OtlpSpan, key: string): string | undefined => span.attributes?.find((a) => a.key === key)?.value.stringValue;

describe('OpenTelemetry traces over OTLP/HTTP', () => {
  it('a span per request and per pipeline stage, children of the request, with the vendor id and the outcome as their only attributes, and no patron value, URL or host anywhere in the export', async () => {
    const requests: Array<[string, number]> = [
      ['/v/books/shelf', 200],
      ['/v/books/broken', 503],
      [`/v/books/search?q=${CANARY.email}`, 403],
    ];
    for (const [path, status] of requests) {
      const response = await fetch(`${gateway.url}${path}`, { headers: { cookie, accept: 'application/json' } });
      await response.arrayBuffer();
      expect(response.status).toBe(status);
    }
    // Every request's own span has ended once its response is over: then flush and wait for the export.
    await waitUntil(async () => {
      await gateway.app.flushTraces();
      return spansReceived().filter((span) => span.name === 'proxy request').length >= requests.length;
    }, 'the receiver has the three request spans');
    const spans = spansReceived();
    const roots = spans.filter((span) => span.name === 'proxy request');
    expect(roots.map((root) => attribute(root, 'gateway.outcome')).sort()).toEqual(['blocked_patron_data', 'proxied', 'proxied']);
    for (const root of roots) expect(attribute(root, 'gateway.vendor')).toBe('books');
    // The proxied request: every stage in pipeline order's spans, each a child of its request.
    const proxied = roots.find((root) => spans.some((span) => span.parentSpanId === root.spanId && span.name === 'proxy filter response')) as OtlpSpan;
    const children = spans.filter((span) => span.parentSpanId === proxied.spanId);
    expect(new Set(children.map((span) => span.name))).toEqual(
      new Set(['proxy identify', 'proxy match contract', 'proxy minors and notice gate', 'proxy scrub request', 'proxy deliver identity', 'proxy forward', 'proxy filter response', 'proxy bind vendor cookies', 'proxy record']),
    );
    for (const child of children) expect(child.traceId).toBe(proxied.traceId);
    expect(attribute(children.find((span) => span.name === 'proxy forward') as OtlpSpan, 'gateway.outcome')).toBe('answered');
    // The blocked request stopped at the scrub stage, whose span says why.
    const blocked = roots.find((root) => attribute(root, 'gateway.outcome') === 'blocked_patron_data') as OtlpSpan;
    const scrub = spans.find((span) => span.parentSpanId === blocked.spanId && span.name === 'proxy scrub request') as OtlpSpan;
    expect(attribute(scrub, 'gateway.outcome')).toBe('blocked_patron_data');
    expect(spans.some((span) => span.parentSpanId === blocked.spanId && span.name === 'proxy forward')).toBe(false);
    // Only the two attributes, on every span.
    for (const span of spans) for (const { key } of span.attributes ?? []) expect(['gateway.vendor', 'gateway.outcome']).toContain(key);
    // Nothing about the patron, the path or the vendor's address in any export, resource included.
    const text = exports.join("\n");
    for (const value of VALUES) expect(text).not.toContain(value);
    expect(text).not.toMatch(/127\.0\.0\.1|localhost|\/v\/|shelf|broken|search/);
  });
});
