import { Readable, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pipeline } from 'node:stream/promises';
import { brotliCompressSync, brotliDecompressSync, deflateSync, gzipSync, gunzipSync, inflateSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createBodyRewriter } from '../../../../../src/channels/browse/rewrite/index.ts';
import { cutAt, demoOptions, oneByteChunks, proxiedOrigin, rewriteBody } from '../../../../helpers/rewrite-fixtures.ts';

const W = 'https://www-vendor-com.proxy.test';
const page = '<!doctype html><meta charset=utf-8><title>Café</title><a href="/x">x</a><img src="https://tracker.example/p.gif">';
const expected = `<!doctype html><meta charset=utf-8><title>Café</title><a href="${W}/x">x</a><img src="about:blank#blocked">`;

describe('body rewriting: media types, encodings and charsets', () => {
  it.each([
    ['gzip', gzipSync, gunzipSync],
    ['x-gzip', gzipSync, gunzipSync],
    ['deflate', deflateSync, inflateSync],
    ['br', brotliCompressSync, brotliDecompressSync],
  ] as const)('%s: decoded, rewritten and encoded the same way', async (encoding, compress, decompress) => {
    const compressed = compress(Buffer.from(page));
    const out = await rewriteBody('text/html', [compressed], demoOptions(), encoding);
    expect(decompress(out).toString('utf8')).toBe(expected);
  });

  it('gzip fed one byte at a time gives the same page', async () => {
    const out = await rewriteBody('text/html', oneByteChunks(gzipSync(Buffer.from(page))), demoOptions(), 'gzip');
    expect(gunzipSync(out).toString('utf8')).toBe(expected);
  });

  it('a corrupt gzip body fails the stream instead of passing garbage', async () => {
    await expect(rewriteBody('text/html', [Buffer.from('not gzip at all')], demoOptions(), 'gzip')).rejects.toThrow();
  });

  it.each([
    ['an image', 'image/png', undefined],
    ['a script without rules', 'application/javascript', undefined],
    ['an encoding we cannot read', 'text/html', 'zstd'],
    ['a charset we cannot re-encode', 'text/html; charset=euc-kr', undefined],
  ])('no rewriter for %s (null: the caller streams it or refuses it)', (_name, type, encoding) => {
    expect(createBodyRewriter(type, encoding, demoOptions())).toBeNull();
  });

  it('CSS bodies: url() and @import resolved against the stylesheet URL', async () => {
    const css = '@import "a.css"; b{background:url(../img/b.png)}';
    const out = await rewriteBody('text/css', [css], demoOptions({ baseUrl: 'https://cdn.vendor.com/css/site.css' }));
    expect(out.toString()).toBe('@import "https://cdn-vendor-com.proxy.test/css/a.css"; b{background:url(https://cdn-vendor-com.proxy.test/img/b.png)}');
  });

  it('JavaScript bodies: script hosts then nothing else (HTML-looking text inside stays)', async () => {
    const js = 'fetch("https://api.vendor.com/q"); el.innerHTML = \'<a href="https://www.vendor.com/">\';';
    const out = await rewriteBody('text/javascript', [js], demoOptions({ scriptHosts: [{ host: 'api.vendor.com', proxied: proxiedOrigin('api.vendor.com') }] }));
    expect(out.toString()).toBe('fetch("https://api-vendor-com.proxy.test/q"); el.innerHTML = \'<a href="https://www.vendor.com/">\';');
  });

  it('JSON bodies: find/replace rules, split anywhere', async () => {
    const json = '{"tracking":true,"api":"https://sso.example/login"}';
    const options = demoOptions({ replace: [{ find: '"tracking":true', replace: '"tracking":false' }, { find: 'https://sso.example', replace: '{proxy:www.vendor.com}' }] });
    const whole = (await rewriteBody('application/json', [json], options)).toString();
    expect(whole).toBe(`{"tracking":false,"api":"${W}/login"}`);
    expect((await rewriteBody('application/json', oneByteChunks(Buffer.from(json)), options)).toString()).toBe(whole);
  });

  it('a text type named only by a rule gets the rule', async () => {
    const options = demoOptions({ replace: [{ find: 'secret-id', replace: 'x', types: ['text/plain'] }] });
    expect((await rewriteBody('text/plain', ['id=secret-id'], options)).toString()).toBe('id=x');
  });

  it('windows-1252 declared in Content-Type: bytes outside URLs come back exactly', async () => {
    const bytes = Buffer.concat([Buffer.from('<p>caf'), Buffer.of(0xe9, 0x80, 0x9f), Buffer.from('</p><a href="/n">')]);
    const out = await rewriteBody('text/html; charset=iso-8859-1', [bytes], demoOptions());
    expect(out.equals(Buffer.concat([Buffer.from('<p>caf'), Buffer.of(0xe9, 0x80, 0x9f), Buffer.from(`</p><a href="${W}/n">`)]))).toBe(true);
  });

  it('windows-1252 declared only in <meta>: sniffed, bytes come back exactly, even one byte at a time', async () => {
    const bytes = Buffer.concat([Buffer.from('<meta charset="windows-1252"><p>'), Buffer.of(0xe9, 0xfc), Buffer.from('<img src="//cdn.vendor.com/i.png">')]);
    const want = Buffer.concat([Buffer.from('<meta charset="windows-1252"><p>'), Buffer.of(0xe9, 0xfc), Buffer.from('<img src="https://cdn-vendor-com.proxy.test/i.png">')]);
    expect((await rewriteBody('text/html', [bytes], demoOptions())).equals(want)).toBe(true);
    expect((await rewriteBody('text/html', oneByteChunks(bytes), demoOptions())).equals(want)).toBe(true);
  });

  it('a sniffed charset we cannot re-encode: the body streams through untouched and the caller is told', async () => {
    const reasons: string[] = [];
    const bytes = Buffer.from(`<meta charset="shift_jis"><a href="https://www.vendor.com/">${'x'.repeat(2000)}`);
    const out = await rewriteBody('text/html', [bytes.subarray(0, 10), bytes.subarray(10)], demoOptions({ onUnrewritable: (r) => reasons.push(r) }));
    expect(out.equals(bytes)).toBe(true);
    expect(reasons).toEqual(['charset']);
  });

  it('a short HTML body without charset (under the sniffing window) is still rewritten at the end', async () => {
    expect((await rewriteBody('text/html', ['<a href=/s>'], demoOptions())).toString()).toBe(`<a href="${W}/s">`);
  });

  it('an empty body stays empty', async () => {
    expect((await rewriteBody('text/html', [], demoOptions())).length).toBe(0);
    expect(gunzipSync(await rewriteBody('text/html', [gzipSync(Buffer.alloc(0))], demoOptions(), 'gzip')).length).toBe(0);
  });

  test.prop([fc.array(fc.nat(), { maxLength: 20 }), fc.constantFrom('gzip', 'br', 'identity')], { seed: 1307, numRuns: 40 })(
    'any chunking of any encoding gives the same page',
    async (cuts, encoding) => {
      const raw = Buffer.from(page + page);
      const body = encoding === 'gzip' ? gzipSync(raw) : encoding === 'br' ? brotliCompressSync(raw) : raw;
      const out = await rewriteBody('text/html', cutAt(body, cuts.map((c) => c % (body.length + 1))), demoOptions(), encoding);
      const text = (encoding === 'gzip' ? gunzipSync(out) : encoding === 'br' ? brotliDecompressSync(out) : out).toString('utf8');
      expect(text).toBe(expected + expected);
    },
  );
});

describe('body rewriting: memory stays flat', () => {
  /** A realistic page section, repeated: links, images, inline style, script. */
  const section = `<div class="result"><h2><a href="https://www.vendor.com/item/123?from=search&amp;page=2">Title é</a></h2><img src="//cdn.vendor.com/covers/123.jpg" srcset="/c/1.jpg 1x, /c/2.jpg 2x" alt=""><p style="background:url(/bg.png)">Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p><script>var x = "https://api.vendor.com/";</script></div>\n`;

  /** A full collection on demand (what --expose-gc gives), so the heap measured is what is kept, not garbage waiting. */
  function collectGarbage(): void {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  }

  async function streamThrough(totalBytes: number, encoding: 'identity' | 'gzip'): Promise<{ outBytes: number; peakHeapGrowth: number }> {
    const rewriter = createBodyRewriter('text/html; charset=utf-8', encoding, demoOptions())!;
    const chunk = Buffer.from(section.repeat(Math.ceil(65536 / section.length)));
    const compressedChunk = encoding === 'gzip' ? gzipSync(chunk) : chunk;
    const count = Math.ceil(totalBytes / chunk.length);
    collectGarbage();
    const start = process.memoryUsage().heapUsed;
    let peak = 0;
    let outBytes = 0;
    let seen = 0;
    async function* source(): AsyncGenerator<Buffer> {
      if (encoding === 'gzip') {
        // Concatenated gzip members are one valid gzip body: the source never holds more than one chunk.
        for (let i = 0; i < count; i++) yield compressedChunk;
      } else for (let i = 0; i < count; i++) yield chunk;
    }
    await pipeline(
      Readable.from(source()),
      rewriter,
      new Writable({
        write(piece: Buffer, _enc, callback) {
          outBytes += piece.length;
          if (++seen % 100 === 0) {
            collectGarbage();
            peak = Math.max(peak, process.memoryUsage().heapUsed - start);
          }
          callback();
        },
      }),
    );
    return { outBytes, peakHeapGrowth: peak };
  }

  it('50 MB of HTML stream through with the heap growing far less than the body (no whole-body buffering)', async () => {
    const { outBytes, peakHeapGrowth } = await streamThrough(50 * 1024 * 1024, 'identity');
    expect(outBytes).toBeGreaterThan(50 * 1024 * 1024);
    // Holding the body would keep 100 MB of heap as a JS string; what is kept between chunks is a few pieces.
    expect(peakHeapGrowth).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);

  it('gzip: 10 MB of HTML stream through with a bounded heap', async () => {
    const { outBytes, peakHeapGrowth } = await streamThrough(10 * 1024 * 1024, 'gzip');
    expect(outBytes).toBeGreaterThan(0);
    expect(peakHeapGrowth).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});
