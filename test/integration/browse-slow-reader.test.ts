import { createHash } from 'node:crypto';
import { request, type ClientRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enterVendor, PROXY_HOST, proxiedHost } from '../helpers/browse.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { waitUntil } from '../helpers/wait-until.ts';

/**
 * A patron whose browser stops reading a large page (a slow connection, a paused download) makes
 * the gateway stop reading from the vendor: the rewriter, and the decoder and encoder around it,
 * hold a few buffers, and the rest of the body stays at the vendor. Without that, a slow reader
 * would make the gateway read (and hold) the whole body.
 */
const PATRON = { patronId: 'p-slow-1', barcode: '27800000000002', birthDate: '1980-01-01' };
/** Bytes on the wire from the vendor: more than the loopback connections' kernel buffers can take (a few MB each here). */
const BODY_MB = 64;
let upstream: RecordingUpstream;
let gateway: Harness;
let cookie: string;
let host: string;

/** A megabyte of result rows (gzip: two, compressed to about one) with links to rewrite; each row carries a hash, so gzip shrinks it about 2:1 as real pages. */
function megabyteOfHtml(): Buffer {
  let html = '';
  for (let i = 0; html.length < 1024 * 1024; i++) html += `<article data-id="${createHash('sha256').update(String(i)).digest('base64')}"><a href="http://pages.example:${upstream.port}/record/${i}">Result ${i}</a><img src="/covers/${i}.jpg"></article>\n`;
  return Buffer.from(html);
}

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '5555' }],
    contracts: {
      pages: `id: pages
name: Pages
kind: database
purpose: Testing browse mode
contract: { reference: T-pages, effective: 2026-01-01, expires: 2027-12-31 }
upstream:
  url: http://pages.example:${upstream.port}/
  hosts: [pages.example]
  timeoutMs: 60000
  pin: { pages.example: 127.0.0.1 }
browse: {}
identity: { delivery: none }
preset: anonymous
minors: { under13: anonymous }
`,
    },
    browse: { proxyHost: PROXY_HOST },
  });
  host = proxiedHost(`pages.example:${upstream.port}`, gateway.url);
  cookie = (await enterVendor(gateway.url, await gateway.login(PATRON.barcode, '5555'), 'pages')).cookies.get(host) as string;
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

it.each([
  ['HTML rewritten as it streams', undefined],
  ['gzip-encoded HTML, decoded, rewritten and re-encoded', 'gzip'],
] as const)('%s: when the patron stops reading, the gateway stops reading from the vendor', async (_what, encoding) => {
  const megabyte = encoding === 'gzip' ? gzipSync(Buffer.concat([megabyteOfHtml(), megabyteOfHtml()])) : megabyteOfHtml();
  const pieces = Array.from({ length: Math.ceil(megabyte.length / 65536) }, (_, i) => megabyte.subarray(i * 65536, (i + 1) * 65536));
  const total = Math.ceil((BODY_MB * 1024 * 1024) / megabyte.length) * megabyte.length;
  const vendor = { sent: 0, waiting: false, closed: false };
  upstream.respond((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(total), ...(encoding ? { 'content-encoding': encoding } : {}) });
    const pump = (): void => {
      vendor.waiting = false;
      while (vendor.sent < total) {
        const piece = pieces[(vendor.sent % megabyte.length) / 65536] as Buffer;
        vendor.sent += piece.length;
        if (!res.write(piece)) {
          vendor.waiting = true;
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.on('close', () => (vendor.closed = true));
    pump();
  });
  const target = new URL(gateway.url);
  let read = 0;
  let req: ClientRequest | undefined;
  await new Promise<void>((resolve, reject) => {
    req = request({ host: target.hostname, port: target.port, path: '/results', headers: { host, cookie, 'accept-encoding': 'gzip' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`answered ${res.statusCode}`));
      res.once('data', (chunk: Buffer) => {
        read += chunk.length;
        res.pause(); // the patron stops reading after the first piece
        resolve();
      });
    });
    req.on('error', reject);
    req.end();
  });
  // The vendor keeps writing until the socket buffers and the gateway's few stream buffers are full,
  // then waits for a drain that does not come: its count stops moving (or, were the gateway to
  // buffer, it writes the whole body and the check below says so).
  let last = -1;
  let still = 0;
  await waitUntil(
    () => {
      still = vendor.waiting && vendor.sent === last ? still + 1 : 0;
      last = vendor.sent;
      return still >= 20 || vendor.sent === total;
    },
    'the vendor waits for the gateway to read or has sent everything',
    60_000,
    100,
  );
  expect(read).toBeGreaterThan(0);
  // Stalled before the end of the body: what the vendor got rid of sits in the two connections'
  // kernel buffers and a few 64 KiB stream buffers in the gateway, while a
  // gateway that buffered would have read the whole body.
  expect(vendor.waiting).toBe(true);
  expect(vendor.sent).toBeLessThan(total);
  req?.destroy();
  await waitUntil(() => vendor.closed, 'the vendor response closed', 10_000);
}, 120_000);
