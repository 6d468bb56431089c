import { PassThrough, Transform, Writable, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { RewritingStream } from 'parse5-html-rewriting-stream';
import { createBodyRewriter, type RewriteOptions } from '../../src/channels/browse/rewrite/index.ts';
import { buildVendorPage } from './rewrite-pages.ts';

/**
 * HTML rewriting throughput on one core (`BENCH_ONLY=rewrite npm run bench`): a realistic 100 KB
 * search results page and a 5 MB listing, fed in 16 KB chunks, each body through a new rewriter;
 * against, in the same run, a pass-through Transform (the cost of streaming at all) and parse5's
 * rewriting stream with no handlers (the tokenizer alone: the ceiling for any parse5-based rewriter).
 * Reported as MB/s of CPU time (user + system) and CPU ms per MB. Target: >= 20 MB/s for HTML.
 */
const options: RewriteOptions = {
  baseUrl: 'https://www.vendor.com/search?q=climate',
  scriptHosts: [{ host: 'api.vendor.com', proxied: 'https://api-vendor-com.proxy.example.org' }],
  replace: [],
  mapUrl: (absolute) => {
    const url = new URL(absolute);
    if (url.hostname !== 'www.vendor.com' && url.hostname !== 'cdn.vendor.com' && url.hostname !== 'api.vendor.com') return undefined;
    return `https://${url.hostname.replaceAll('.', '-')}.proxy.example.org${url.pathname}${url.search}${url.hash}`;
  },
};

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

async function run(chunks: ReadonlyArray<Buffer>, transform: Transform): Promise<number> {
  let out = 0;
  await pipeline(
    Readable.from(chunks),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out += chunk.length;
        callback();
      },
    }),
  );
  return out;
}

/** A parse5 rewriting stream with no handlers, as a Transform from bytes (what the tokenizer alone costs). */
function tokenizerOnly(): Transform {
  const decoder = new TextDecoder();
  const stream = new RewritingStream();
  const sink: string[] = [];
  stream.push = (chunk: unknown) => (typeof chunk === 'string' && sink.push(chunk), true);
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      (stream as unknown as { _transformChunk(text: string): void })._transformChunk(decoder.decode(chunk, { stream: true }));
      const text = sink.join('');
      sink.length = 0;
      callback(null, Buffer.from(text));
    },
  });
}

async function measure(label: string, page: Buffer, runs: number, make: () => Transform, encoded?: Buffer): Promise<number> {
  const chunks = chunksOf(encoded ?? page, 16 * 1024);
  for (let i = 0; i < Math.min(runs, 5); i++) await run(chunks, make()); // warm up
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) await run(chunks, make());
  const cpu = process.cpuUsage(start);
  const seconds = (cpu.user + cpu.system) / 1e6;
  const megabytes = (page.length * runs) / 1e6;
  const mbPerSecond = megabytes / seconds;
  console.log(`  ${label.padEnd(46)} ${mbPerSecond.toFixed(1).padStart(7)} MB/s  ${((seconds * 1000) / megabytes).toFixed(1).padStart(6)} ms CPU/MB`);
  return mbPerSecond;
}

export async function benchRewrite(): Promise<{ smallMbPerSecond: number; bigMbPerSecond: number }> {
  const small = Buffer.from(buildVendorPage(100 * 1024));
  const big = Buffer.from(buildVendorPage(5 * 1024 * 1024));
  const rewriteHtml = () => createBodyRewriter('text/html; charset=utf-8', undefined, options)!;
  console.log(`HTML rewriting (one core, CPU time; ${Math.round(small.length / 1024)} KB page x 200, ${(big.length / 1e6).toFixed(1)} MB page x 4; 16 KB chunks)`);
  const passSmall = await measure('baseline: pass-through Transform, 100 KB', small, 200, () => new PassThrough());
  const tokenSmall = await measure('baseline: parse5 tokenizer alone, 100 KB', small, 200, tokenizerOnly);
  const smallMbPerSecond = await measure('rewrite, 100 KB page', small, 200, rewriteHtml);
  const bigMbPerSecond = await measure('rewrite, 5 MB page', big, 4, rewriteHtml);
  const gzipped = gzipSync(small);
  const gzipMbPerSecond = await measure('rewrite, 100 KB page, gzip in and out', small, 100, () => createBodyRewriter('text/html', 'gzip', options)!, gzipped);
  console.log(`  ratio rewrite / tokenizer alone (100 KB):    ${(smallMbPerSecond / tokenSmall).toFixed(2)}`);
  console.log(`  ratio rewrite / pass-through (100 KB):       ${(smallMbPerSecond / passSmall).toFixed(3)}`);
  console.log(`  ratio gzip / identity (100 KB):              ${(gzipMbPerSecond / smallMbPerSecond).toFixed(2)}`);
  console.log(`  target >= 20 MB/s (100 KB page): ${smallMbPerSecond >= 20 ? 'met' : 'NOT met'}; big page: ${bigMbPerSecond >= 20 ? 'met' : 'NOT met'}`);
  return { smallMbPerSecond, bigMbPerSecond };
}
