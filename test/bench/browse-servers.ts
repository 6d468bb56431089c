/**
 * The two servers of the browse benchmark, each in a process of its own so that the gateway's
 * memory and CPU are its own (run by browse-bench.ts, `BENCH_ONLY=browse npm run bench`):
 *
 * - `vendor`: the vendor website. `/page` is a 100 KB HTML page of links, images, styles and
 *   forms to the vendor's two hosts and a tracker; `/plain` the same bytes as text/plain (no
 *   rewriter touches it). `/download/N` is N MB of application/octet-stream, `/html/N` N MB of
 *   such HTML, `/gzip/N` N MB of it gzip-encoded (concatenated gzip members: one valid gzip body,
 *   never held whole; its rows carry random tokens, so it compresses about 3:1 like real pages
 *   rather than 20:1). Every body is written as the socket drains, and the process answers
 *   `{ sent, total }` over IPC: body bytes of the current large response handed to the kernel so
 *   far, and its length.
 * - `gateway <vendorPort>`: the real gateway with a browse contract for the vendor, signed in and
 *   through the hand-off; prints `HOST <proxied host>` and `COOKIE <origin cookie>`. Over IPC it
 *   answers `cpu` (its process.cpuUsage, microseconds), `memory` (process.memoryUsage) and `gc`
 *   (a full collection; the process runs with --expose-gc).
 *
 * Each prints `READY <port>` when listening.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { enterVendor, PROXY_HOST, proxiedHost } from '../helpers/browse.ts';
import { startGateway } from '../helpers/gateway-harness.ts';

const [mode, vendorPort] = process.argv.slice(2);
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));

function ready(port: number): void {
  process.stdout.write(`READY ${port}\n`);
}

const host = (name: string, port: number): string => `http://${name}.bench-vendor.example:${port}`;

/** One result row of a vendor search page: absolute, relative and protocol-relative links, srcset, inline CSS, a form. */
function buildRow(port: number, i: number, token = ''): string {
  return `<article class="result"${token === '' ? '' : ` data-token="${token}"`}><h2><a href="${host('www', port)}/record/${i}?q=rivers&amp;page=${i % 7}">Result ${i}: Rivers of the world, volume ${i}</a></h2>
<img src="${host('img', port)}/covers/${i}.jpg" srcset="${host('img', port)}/covers/${i}.jpg 1x, ${host('img', port)}/covers/${i}@2x.jpg 2x" alt="cover ${i}" width="60" height="90">
<p style="background:url(${host('img', port)}/bg.png)">Snippet ${i}: a short description of the record with <a href="/subjects/${i}">a relative link</a> and <a href="//www.bench-vendor.example:${port}/authors/${i}">a protocol-relative link</a>.</p>
<form action="${host('www', port)}/save" method="post"><input type="hidden" name="id" value="${i}"><button>Save</button></form></article>\n`;
}

function pageHead(port: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Results</title>
<link rel="stylesheet" href="${host('img', port)}/site.css"><script src="${host('img', port)}/app.js"></script>
<script src="https://www.google-analytics.com/analytics.js"></script></head><body>`;
}

const PAGE_TAIL = '</body></html>';

/** Rows up to `bytes` (at least); `tokens`: each row carries 600 random base64 characters, so gzip shrinks it about 2 times, not 20. */
function buildRows(port: number, bytes: number, tokens = false): string {
  const rows: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const row = buildRow(port, i, tokens ? randomBytes(450).toString('base64') : '');
    rows.push(row);
    length += row.length;
  }
  return rows.join('');
}

interface Progress {
  /** Body bytes given to res.write for the current large response. */
  sent: number;
  /** Its Content-Length. */
  total: number;
  res: ServerResponse | undefined;
}

/** Writes `pieces` (each `times` times) to the response as it drains; counts what was written. */
function pump(res: ServerResponse, pieces: ReadonlyArray<{ bytes: Buffer; times: number }>, progress: Progress): void {
  progress.res = res;
  progress.sent = 0;
  progress.total = pieces.reduce((sum, piece) => sum + piece.bytes.length * piece.times, 0);
  let piece = 0;
  let done = 0;
  const next = (): void => {
    while (piece < pieces.length) {
      const current = pieces[piece]!;
      if (done >= current.times) {
        piece++;
        done = 0;
        continue;
      }
      done++;
      progress.sent += current.bytes.length;
      if (!res.write(current.bytes)) {
        res.once('drain', next);
        return;
      }
    }
    res.end();
  };
  next();
}

if (mode === 'vendor') {
  const progress: Progress = { sent: 0, total: 0, res: undefined };
  // Sent = handed to the kernel: what res.write took minus what still waits in this process.
  process.on('message', () => process.send?.({ sent: progress.sent - (progress.res?.socket?.writableLength ?? 0), total: progress.total }));
  let page = '';
  let head = Buffer.alloc(0);
  let megabyteOfRows = Buffer.alloc(0);
  let gzipped = { head: Buffer.alloc(0), rows: Buffer.alloc(0), tail: Buffer.alloc(0) };
  const megabyte = Buffer.alloc(1024 * 1024, 7);
  const tail = Buffer.from(PAGE_TAIL);
  const server = createServer((req, res) => {
    const big = /^\/(download|html|gzip)\/(\d+)$/.exec(req.url ?? '');
    if (big) {
      const megabytes = Number(big[2]);
      if (big[1] === 'download') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(megabytes * megabyte.length) });
        pump(res, [{ bytes: megabyte, times: megabytes }], progress);
      } else if (big[1] === 'html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(head.length + megabytes * megabyteOfRows.length + tail.length) });
        pump(res, [{ bytes: head, times: 1 }, { bytes: megabyteOfRows, times: megabytes }, { bytes: tail, times: 1 }], progress);
      } else {
        const length = gzipped.head.length + megabytes * gzipped.rows.length + gzipped.tail.length;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'content-length': String(length) });
        pump(res, [{ bytes: gzipped.head, times: 1 }, { bytes: gzipped.rows, times: megabytes }, { bytes: gzipped.tail, times: 1 }], progress);
      }
      return;
    }
    res.setHeader('Content-Type', req.url === '/plain' ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8');
    res.end(page);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as AddressInfo).port;
    page = `${pageHead(port)}${buildRows(port, 100 * 1024)}${PAGE_TAIL}`;
    head = Buffer.from(pageHead(port));
    // Whole rows, trimmed to no more than 1 MB of text: a megabyte of the page's body per repetition.
    const rows = buildRows(port, 1024 * 1024, true);
    megabyteOfRows = Buffer.from(rows.slice(0, rows.lastIndexOf('<article', 1024 * 1024)));
    gzipped = { head: gzipSync(head), rows: gzipSync(megabyteOfRows), tail: gzipSync(tail) };
    ready(port);
  });
} else if (mode === 'gateway') {
  const port = Number(vendorPort);
  const gateway = await startGateway({
    patrons: [{ record: { patronId: 'bench-1', barcode: '29900000000001', birthDate: '1980-01-01' }, pin: '9999' }],
    contracts: {
      bench: `id: bench
name: Bench website
kind: database
purpose: Benchmark
contract: { reference: B-1, effective: 2026-01-01, expires: 2027-12-31 }
upstream:
  url: http://www.bench-vendor.example:${port}/
  hosts: [www.bench-vendor.example, img.bench-vendor.example]
  timeoutMs: 120000
  pin: { www.bench-vendor.example: 127.0.0.1, img.bench-vendor.example: 127.0.0.1 }
browse: {}
identity: { delivery: none }
preset: anonymous
minors: { under13: anonymous }
`,
    },
    browse: { proxyHost: PROXY_HOST },
    discardLogs: true,
  });
  gateway.server.keepAliveTimeout = 60_000;
  process.on('message', (message: string) => {
    if (message === 'gc') {
      global.gc?.();
      process.send?.({ done: true });
    } else if (message === 'memory') process.send?.(process.memoryUsage());
    else {
      const usage = process.cpuUsage();
      process.send?.({ cpuMicros: usage.user + usage.system });
    }
  });
  const origin = proxiedHost(`www.bench-vendor.example:${port}`, gateway.url);
  const entered = await enterVendor(gateway.url, await gateway.login('29900000000001', '9999'), 'bench');
  process.stdout.write(`HOST ${origin}\nCOOKIE ${entered.cookies.get(origin) ?? ''}\n`);
  ready(Number(new URL(gateway.url).port));
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
