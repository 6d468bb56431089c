import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pipeline } from 'node:stream/promises';
import { brotliCompressSync, brotliDecompressSync, constants, deflateSync, gzipSync, gunzipSync, inflateSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createBodyRewriter } from '../../../../../src/channels/browse/rewrite/index.ts';
import { cutAt, demoOptions, oneByteChunks, proxiedOrigin, rewriteBody, settleStreams } from '../../../../helpers/rewrite-fixtures.ts';

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

describe('body rewriting: failures, the sniffing window and what each stage is given', () => {
  const failing = (): ReturnType<typeof demoOptions> =>
    demoOptions({
      mapUrl: () => {
        throw new Error('mapping failed');
      },
    });
  const longCss = `b{background:url(/x.png)}${' '.repeat(70_000)}`;

  it.each([
    ['CSS, while the body streams (a long stylesheet is decided piece by piece)', 'text/css', longCss, undefined],
    ['CSS, at the end (a short stylesheet is decided when it ends)', 'text/css', 'b{background:url(/x.png)}', undefined],
    ['HTML without a charset, when its first 1024 bytes are in', 'text/html', `<a href="/x">${'x'.repeat(2000)}`, undefined],
    ['HTML without a charset, at the end of a body shorter than 1024 bytes', 'text/html', '<a href="/x">', undefined],
    ['gzip-encoded CSS (the error crosses the decoder and encoder around it)', 'text/css', longCss, 'gzip'],
  ] as const)('a failure inside the rewriter fails the stream with that error, %s', async (_when, type, body, encoding) => {
    const bytes = encoding === 'gzip' ? gzipSync(Buffer.from(body)) : Buffer.from(body);
    await expect(rewriteBody(type, [bytes], failing(), encoding)).rejects.toThrow('mapping failed');
  });

  it('a sniffed charset we cannot re-encode: every later chunk passes through as it came, and nobody needs to be told', async () => {
    const bytes = Buffer.from(`<meta charset="shift_jis"><a href="https://www.vendor.com/">${'x'.repeat(3000)}<a href="/y">`);
    const out = await rewriteBody('text/html', cutAt(bytes, [10, 1500, 2500]), demoOptions({ onUnrewritable: undefined }));
    expect(out.equals(bytes)).toBe(true);
  });

  it("the charset in Content-Type wins over a <meta> in the page (as in browsers): the page is rewritten", async () => {
    const out = await rewriteBody('text/html; charset=utf-8', ['<meta charset="shift_jis"><a href="/x">'], demoOptions());
    expect(out.toString()).toBe(`<meta charset="shift_jis"><a href="${W}/x">`);
  });

  it('a stylesheet is not sniffed like HTML: a <meta charset> inside a comment changes nothing', async () => {
    const out = await rewriteBody('text/css', ['/* <meta charset="shift_jis"> */ b{background:url(/x.png)}'], demoOptions());
    expect(out.toString()).toBe(`/* <meta charset="shift_jis"> */ b{background:url(${W}/x.png)}`);
  });

  it('HTML without a charset is held only for its first 1024 bytes: the rewritten start comes out before the body ends', () => {
    const rewriter = createBodyRewriter('text/html', undefined, demoOptions())!;
    const start = Buffer.from(`<p>${'a'.repeat(1020)}`); // 1023 bytes
    rewriter.write(start);
    expect(rewriter.readableLength).toBe(0);
    rewriter.write(Buffer.from('b'));
    expect(rewriter.readableLength).toBeGreaterThan(0);
    rewriter.destroy();
  });

  it('a character split across the end of the sniffing window comes out whole', async () => {
    const bytes = Buffer.from(`${'a'.repeat(1023)}é<a href="/x">`);
    const out = await rewriteBody('text/html', cutAt(bytes, [1024]), demoOptions());
    expect(out.toString()).toBe(`${'a'.repeat(1023)}é<a href="${W}/x">`);
  });

  it('inline scripts get the script hosts and inline styles the CSS rewriter', async () => {
    const options = demoOptions({ scriptHosts: [{ host: 'api.vendor.com', proxied: proxiedOrigin('api.vendor.com') }] });
    const out = await rewriteBody('text/html; charset=utf-8', ['<script>fetch("https://api.vendor.com/q")</script><style>b{background:url(/x.png)}</style>'], options);
    expect(out.toString()).toBe(`<script>fetch("https://api-vendor-com.proxy.test/q")</script><style>b{background:url(${W}/x.png)}</style>`);
  });

  it('script hosts apply to scripts only: a text type named by a rule gets the rule and nothing else', async () => {
    const options = demoOptions({ scriptHosts: [{ host: 'api.vendor.com', proxied: proxiedOrigin('api.vendor.com') }], replace: [{ find: 'secret-id', replace: 'x', types: ['text/plain'] }] });
    expect((await rewriteBody('text/plain', ['see https://api.vendor.com/q for secret-id'], options)).toString()).toBe('see https://api.vendor.com/q for x');
  });

  it.each([
    ['a {proxy:HOST} expansion of a find/replace rule', { replace: [{ find: 'https://sso.example', replace: '{proxy:www.vendor.com}' }] }, '<a href="https://sso.example/login">', `<a href="${W}/login">`],
    ['a script host\'s proxied origin', { scriptHosts: [{ host: 'api.vendor.com', proxied: proxiedOrigin('api.vendor.com') }] }, '<img src="https://api-vendor-com.proxy.test/i.png">', '<img src="https://api-vendor-com.proxy.test/i.png">'],
  ] as const)('URLs already on a proxied origin the rewriter made (%s) are left alone, not blocked', async (_what, overrides, page, want) => {
    const options = demoOptions(overrides);
    expect((await rewriteBody('text/html; charset=utf-8', [page], options)).toString()).toBe(want);
    expect(options.blocked).toEqual([]);
  });

  it.each([
    ['HTML: as a numeric character reference', 'text/html; charset=windows-1252', 'rated RATING', 'rated &#9733;'],
    ['any other text: as ?', 'text/plain; charset=windows-1252', 'rated RATING', 'rated ?'],
  ])('a character windows-1252 cannot hold, written by a rule, is encoded %s', async (_how, type, body, want) => {
    const options = demoOptions({ replace: [{ find: 'RATING', replace: '★', types: ['text/html', 'text/plain'] }] });
    expect((await rewriteBody(type, [body], options)).toString('latin1')).toBe(want);
  });

  it('brotli is re-encoded at quality 5 (a streaming setting), not brotli\'s slow default 11', async () => {
    const raw = Buffer.from(page.repeat(200));
    const out = await rewriteBody('text/html', [brotliCompressSync(raw)], demoOptions(), 'br');
    const rewritten = brotliDecompressSync(out);
    const atQuality = (quality: number): Buffer => brotliCompressSync(rewritten, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } });
    expect(atQuality(5).equals(atQuality(11))).toBe(false);
    expect(out.equals(atQuality(5))).toBe(true);
  });

  it.each(['identity', 'gzip'] as const)('%s: a reader that stops reading stops the rewriter pulling the body (a few chunks held, not the body)', async (encoding) => {
    // Each section carries a hash, so the chunk compresses about 2:1 like a real page, not 100:1.
    let html = '';
    for (let i = 0; html.length < 65536; i++) html += `<div data-id="${createHash('sha256').update(String(i)).digest('base64')}"><a href="https://www.vendor.com/item/${i}">item</a><img src="//cdn.vendor.com/c.jpg"><p>Lorem ipsum.</p></div>\n`;
    const chunk = encoding === 'gzip' ? gzipSync(html) : Buffer.from(html);
    const total = 160; // about 10 MB of HTML offered (5 MB gzip-encoded)
    let pulled = 0;
    const source = new Readable({
      read() {
        if (pulled === total) this.push(null);
        else {
          pulled++;
          this.push(chunk);
        }
      },
    });
    const rewriter = createBodyRewriter('text/html; charset=utf-8', encoding, demoOptions())!;
    source.pipe(rewriter);
    await settleStreams(() => pulled);
    // Each stream holds at most its high-water marks (64 KiB each side): well under a megabyte in all.
    expect(pulled * chunk.length).toBeLessThan(2 * 1024 * 1024);
    let read = 0;
    await new Promise<void>((resolve, reject) => {
      rewriter.on('data', (piece: Buffer) => (read += piece.length));
      rewriter.on('end', resolve);
      rewriter.on('error', reject);
    });
    expect(pulled).toBe(total);
    expect(read).toBeGreaterThan(0);
  }, 60_000);
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
