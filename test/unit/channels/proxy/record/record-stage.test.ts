import { Writable } from 'node:stream';
import type { DestinationStream } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import { createRecordStage } from '../../../../../src/channels/proxy/record/record-stage.ts';
import type { ProxyContext } from '../../../../../src/channels/proxy/proxy-context.ts';
import { createLogger } from '../../../../../src/log/create-logger.ts';
import { createGatewayMetrics } from '../../../../../src/metering/gateway-metrics.ts';
import { minimize } from '../../../../../src/minimize/minimize.ts';
import { createTestKeys, NOW } from '../../../../helpers/contracts.ts';
import { ADULT, CHILD, compileVendor, makeContext, makeRequest } from '../stage-fixtures.ts';

const keys = createTestKeys();
const FIELDS = `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  email: { action: pass, consent: share-email-with-vendors }`;
const redacting = compileVendor('books', { fields: FIELDS, request: 'request: { onPatronData: redact }' });
const blocking = compileVendor('strict', { fields: FIELDS, request: 'request: { onPatronData: block }' });

/** A record stage on fresh metrics and a captured log, as the pipeline builds it. */
function setup() {
  const metrics = createGatewayMetrics(new Registry(), { version: 'test' }, [redacting, blocking]);
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  }) as unknown as DestinationStream;
  const stage = createRecordStage({ metrics, logger: createLogger({ destination }), knownVendors: new Set(['books', 'strict']) });
  const finish = (context: ProxyContext): void => stage.finish?.(context);
  const overheadCount = async (vendor: string): Promise<number> => {
    const text = await metrics.registry.getSingleMetricAsString('gateway_overhead_seconds');
    const line = text.split('\n').find((l) => l.startsWith(`gateway_overhead_seconds_count{vendor="${vendor}",channel="http"}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };
  return { metrics, lines, finish, overheadCount };
}

function finished(options: { contract?: CompiledContract; vendorId?: string; outcome?: ProxyContext['outcome']; status?: number; upstreamError?: ProxyContext['upstreamError']; patron?: typeof ADULT } = {}): ProxyContext {
  const context = makeContext({
    req: makeRequest({ url: '/v/books/secret-path?card=21234000123456' }),
    ...(options.contract ? { contract: options.contract, vendorId: options.contract.id } : {}),
    ...(options.vendorId !== undefined ? { vendorId: options.vendorId } : {}),
  });
  if (options.contract) context.result = minimize(options.patron ?? ADULT, options.contract, keys, NOW);
  if (options.outcome !== undefined) context.outcome = options.outcome;
  if (options.upstreamError !== undefined) context.upstreamError = options.upstreamError;
  context.res.statusCode = options.status ?? 200;
  context.gatewayNanos = 1_500_000n;
  return context;
}

describe('record stage', () => {
  it('a proxied request is counted once, each field decision once, its overhead observed, and not logged (success is counted, not logged)', async () => {
    const { metrics, lines, finish, overheadCount } = setup();
    finish(finished({ contract: redacting, outcome: 'proxied' }));
    const counts = metrics.snapshot().vendors['books'];
    expect(counts?.requests).toEqual({ proxied: 1 });
    expect(counts?.releases).toEqual({ pseudonymized: 1, generalized: 1, passed: 1, withheld: 12 });
    expect(counts?.releasesByField['email']).toEqual({ passed: 1 });
    expect(await overheadCount('books')).toBe(1);
    expect(lines).toEqual([]);
  });

  it('the overhead is observed in seconds (the stage time is kept in nanoseconds)', async () => {
    const { metrics, finish } = setup();
    finish(finished({ contract: redacting, outcome: 'proxied' }));
    expect(await metrics.registry.getSingleMetricAsString('gateway_overhead_seconds')).toContain('gateway_overhead_seconds_sum{vendor="books",channel="http"} 0.0015\n');
  });

  it('a second request counts again through the same bound counters (nothing is cached as done)', () => {
    const { metrics, finish } = setup();
    finish(finished({ contract: redacting, outcome: 'proxied' }));
    finish(finished({ contract: redacting, outcome: 'proxied' }));
    expect(metrics.snapshot().vendors['books']?.releasesByField['birthDate']).toEqual({ generalized: 2 });
  });

  it.each([
    ['a vendor id no contract knows is labelled _unknown (never the name a client made up)', { vendorId: 'made-up-vendor', outcome: 'unknown_vendor' as const }, '_unknown', 'unknown_vendor'],
    ['a known vendor refused before matching keeps its label (the metric stays per vendor)', { vendorId: 'books', outcome: 'unauthenticated' as const }, 'books', 'unauthenticated'],
    ['a request that ended with no outcome counts as a bad request (the pipeline never got going)', { vendorId: 'books' }, 'books', 'bad_request'],
    ['a request refused by the minors rule counts as blocked_minor, with no field releases (nothing was released)', { contract: redacting, patron: CHILD, outcome: 'blocked_minor' as const }, 'books', 'blocked_minor'],
  ])('%s', async (_name, options, vendor, outcome) => {
    const { metrics, lines, finish, overheadCount } = setup();
    finish(finished(options));
    const counts = metrics.snapshot().vendors[vendor];
    expect(counts?.requests).toEqual({ [outcome]: 1 });
    expect(counts?.releases).toEqual({});
    expect(await overheadCount(vendor)).toBe(0);
    // What needs attention is logged, with labels only: never the path or query.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'vendor request', vendor, outcome, status: 200 });
    expect(JSON.stringify(lines[0])).not.toContain('secret-path');
    expect(Object.keys(lines[0] ?? {}).sort()).toEqual(['durationMs', 'level', 'msg', 'outcome', 'status', 'time', 'vendor']);
  });

  it.each([
    ['a failed exchange counts as upstream_error with its kind (the vendor did not answer)', { upstreamError: 'timeout' as const, status: 504 }, { timeout: 1 }],
    ['a vendor\'s own 5xx counts as a bad_status upstream error, the request still proxied', { status: 502 }, { bad_status: 1 }],
    ['a vendor\'s plain 500 counts as a bad_status upstream error too (500 is a 5xx)', { status: 500 }, { bad_status: 1 }],
  ])('%s', async (_name, options, upstreamErrors) => {
    const { metrics, lines, finish, overheadCount } = setup();
    finish(finished({ contract: redacting, outcome: 'proxied', ...options }));
    const counts = metrics.snapshot().vendors['books'];
    expect(counts?.upstreamErrors).toEqual(upstreamErrors);
    expect(counts?.requests).toEqual('upstreamError' in options ? { upstream_error: 1 } : { proxied: 1 });
    expect(await overheadCount('books')).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ vendor: 'books', status: options.status });
  });

  it('a vendor 4xx is a plain proxied request (the vendor answered; nothing for operators)', () => {
    const { metrics, lines, finish } = setup();
    finish(finished({ contract: redacting, outcome: 'proxied', status: 404 }));
    expect(metrics.snapshot().vendors['books']?.upstreamErrors).toEqual({});
    expect(lines).toEqual([]);
  });

  it.each([
    ['values caught for a redacting contract are counted as redacted', redacting, 'proxied' as const, 'redacted'],
    ['values caught for a blocking contract are counted as blocked', blocking, 'blocked_patron_data' as const, 'blocked'],
  ])('%s', async (_name, contract, outcome, decision) => {
    const { metrics, finish } = setup();
    const context = finished({ contract, outcome });
    context.catches.push({ location: 'query', count: 2 }, { location: 'body', count: 1 });
    finish(context);
    expect(metrics.snapshot().vendors[contract.id]?.caught).toEqual({ query: 2, body: 1 });
    const text = await metrics.registry.getSingleMetricAsString('gateway_patron_data_caught_total');
    expect(text).toContain(`gateway_patron_data_caught_total{vendor="${contract.id}",location="query",decision="${decision}",channel="http"} 2`);
  });
});
