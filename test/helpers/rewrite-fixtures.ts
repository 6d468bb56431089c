import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MapUrl, RewriteOptions } from '../../src/channels/browse/rewrite/index.ts';
import { createBodyRewriter } from '../../src/channels/browse/rewrite/index.ts';

/**
 * A demo vendor for the rewriter's tests: www.vendor.com, cdn.vendor.com and api.vendor.com are
 * proxied under proxy.test (dots become hyphens, as browse mode names origins), www.youtube.com is a
 * neverProxy host (links to it go through the gateway's /leaving page; loads are refused), and any
 * other host (tracker.example, evil.example) is refused.
 */
export const PROXY_DOMAIN = 'proxy.test';
export const ALLOWED_HOSTS = ['www.vendor.com', 'cdn.vendor.com', 'api.vendor.com'];
export const UPSTREAM_HOST = /^(www|cdn|api)\.vendor\.com$/;

export function proxiedOrigin(host: string): string {
  return `https://${host.replace(/[.:]/g, '-')}.${PROXY_DOMAIN}`;
}

export const demoMapUrl: MapUrl = (absolute, kind) => {
  const url = new URL(absolute);
  if (ALLOWED_HOSTS.includes(url.host)) return `${proxiedOrigin(url.host)}${url.pathname}${url.search}${url.hash}`;
  if (url.host === 'www.youtube.com' && kind === 'navigate') return `https://gateway.test/leaving?to=${encodeURIComponent(absolute)}`;
  return undefined;
};

export function demoOptions(overrides: Partial<RewriteOptions> = {}): RewriteOptions & { blocked: string[] } {
  const blocked: string[] = [];
  return {
    mapUrl: demoMapUrl,
    baseUrl: 'https://www.vendor.com/library/search.html?q=1',
    scriptHosts: [],
    replace: [],
    onBlocked: (host) => blocked.push(host),
    blocked,
    ...overrides,
  };
}

/** Streams the chunks through the body rewriter for this Content-Type and collects the bytes. */
export async function rewriteBody(contentType: string, chunks: ReadonlyArray<Uint8Array | string>, options: RewriteOptions, contentEncoding?: string): Promise<Buffer> {
  const rewriter = createBodyRewriter(contentType, contentEncoding, options);
  if (rewriter === null) throw new Error(`${contentType} is not rewritten`);
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : Buffer.from(c))), { objectMode: false }),
    rewriter,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

/** Cuts bytes into pieces at the given offsets. */
export function cutAt(bytes: Uint8Array, offsets: ReadonlyArray<number>): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => Math.min(Math.max(o, 0), bytes.length)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    if (point > start) pieces.push(bytes.subarray(start, point));
    start = point;
  }
  if (start < bytes.length) pieces.push(bytes.subarray(start));
  return pieces;
}

/** One byte per chunk. */
export function oneByteChunks(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

/**
 * Lets pending stream work run, one event-loop turn at a time, until `progress` has not changed for
 * 50 turns (no clock involved): afterwards, whatever a stream would still pull, it has pulled.
 */
export async function settleStreams(progress: () => number): Promise<void> {
  let last = -1;
  let still = 0;
  for (let turn = 0; turn < 5000 && still < 50; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = progress();
    still = now === last ? still + 1 : 0;
    last = now;
  }
}
