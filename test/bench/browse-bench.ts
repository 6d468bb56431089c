import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../helpers/gateway-harness.ts';
import { enterVendor, PROXY_HOST, proxiedHost } from '../helpers/browse.ts';

/**
 * Browse mode (BENCH_ONLY=browse), in one process (the client's cost falls on both sides alike):
 *
 * 1. Added latency of rewriting: a realistic 100 KB HTML page (links, images, styles, scripts to the
 *    vendor's hosts and a tracker) fetched one request at a time through browse mode, against the
 *    same bytes through the same gateway, vendor origin, session and stages served as text/plain,
 *    which no rewriter touches, alternating, in the same run. Reported: p50 and p99 of each, the
 *    added p50, and the gateway's CPU per page (process.cpuUsage over the run, client included).
 * 2. A 50 MB download through browse mode (application/octet-stream, streamed): RSS sampled every
 *    20 ms during it, reported as the rise over the RSS before it; then 200 MB, whose rise is the
 *    same when nothing is buffered (memory flat, not growing with the body).
 */
const ROUNDS = 400;

function buildPage(port: number): string {
  const host = (name: string): string => `http://${name}.bench-vendor.example:${port}`;
  const rows: string[] = [];
  let i = 0;
  while (rows.join('').length < 100 * 1024) {
    rows.push(`<article class="result"><h2><a href="${host('www')}/record/${i}?q=rivers&amp;page=${i % 7}">Result ${i}: Rivers of the world, volume ${i}</a></h2>
<img src="${host('img')}/covers/${i}.jpg" srcset="${host('img')}/covers/${i}.jpg 1x, ${host('img')}/covers/${i}@2x.jpg 2x" alt="cover ${i}" width="60" height="90">
<p style="background:url(${host('img')}/bg.png)">Snippet ${i}: a short description of the record with <a href="/subjects/${i}">a relative link</a> and <a href="//www.bench-vendor.example:${port}/authors/${i}">a protocol-relative link</a>.</p>
<form action="${host('www')}/save" method="post"><input type="hidden" name="id" value="${i}"><button>Save</button></form></article>\n`);
    i++;
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>Results</title>
<link rel="stylesheet" href="${host('img')}/site.css"><script src="${host('img')}/app.js"></script>
<script src="https://www.google-analytics.com/analytics.js"></script></head><body>${rows.join('')}</body></html>`;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function fetchOnce(agent: Agent, port: number, host: string, path: string, cookie: string): Promise<{ ms: number; bytes: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, cookie, accept: 'text/html' }, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${path} answered ${res.statusCode}`));
        else resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, bytes });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchBrowse(): Promise<void> {
  let page = '';
  const megabyte = Buffer.alloc(1024 * 1024, 7);
  const upstream: Server = createServer((req, res) => {
    const size = /^\/download\/(\d+)$/.exec(req.url ?? '');
    if (size) {
      const total = Number(size[1]);
      res.setHeader('Content-Type', 'application/octet-stream');
      res.setHeader('Content-Length', String(total * megabyte.length));
      let sent = 0;
      const pump = (): void => {
        while (sent < total) {
          sent++;
          if (!res.write(megabyte)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
      return;
    }
    res.setHeader('Content-Type', req.url === '/plain' ? 'text/plain; charset=utf-8' : 'text/html; charset=utf-8');
    res.end(page);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as AddressInfo).port;
  page = buildPage(port);
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
  timeoutMs: 30000
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
  const gatewayPort = Number(new URL(gateway.url).port);
  const host = proxiedHost(`www.bench-vendor.example:${port}`, gateway.url);
  const entered = await enterVendor(gateway.url, await gateway.login('29900000000001', '9999'), 'bench');
  const cookie = entered.cookies.get(host) as string;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  // 1. Latency, alternating rewritten and untouched, after a warm-up of each.
  for (let i = 0; i < 50; i++) {
    await fetchOnce(agent, gatewayPort, host, '/page', cookie);
    await fetchOnce(agent, gatewayPort, host, '/plain', cookie);
  }
  const rewritten: number[] = [];
  const untouched: number[] = [];
  let rewrittenCpu = 0;
  let untouchedCpu = 0;
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i++) {
    let cpu = process.cpuUsage();
    const a = await fetchOnce(agent, gatewayPort, host, '/page', cookie);
    cpu = process.cpuUsage(cpu);
    rewrittenCpu += cpu.user + cpu.system;
    rewritten.push(a.ms);
    bytes = a.bytes;
    cpu = process.cpuUsage();
    const b = await fetchOnce(agent, gatewayPort, host, '/plain', cookie);
    cpu = process.cpuUsage(cpu);
    untouchedCpu += cpu.user + cpu.system;
    untouched.push(b.ms);
  }
  const p50a = percentile(rewritten, 50);
  const p50b = percentile(untouched, 50);
  console.log(`browse mode, ${(page.length / 1024).toFixed(0)} KB HTML page (${(bytes / 1024).toFixed(0)} KB rewritten), ${ROUNDS} sequential requests each, alternating:`);
  console.log(`  rewritten:            p50 ${p50a.toFixed(2)} ms, p99 ${percentile(rewritten, 99).toFixed(2)} ms, CPU ${(rewrittenCpu / ROUNDS / 1000).toFixed(2)} ms/page`);
  console.log(`  same bytes untouched: p50 ${p50b.toFixed(2)} ms, p99 ${percentile(untouched, 99).toFixed(2)} ms, CPU ${(untouchedCpu / ROUNDS / 1000).toFixed(2)} ms/page`);
  console.log(`  added by rewriting:   p50 +${(p50a - p50b).toFixed(2)} ms (target <= 10 ms)`);

  // 2. 50 MB through browse mode, RSS sampled while it streams; then 200 MB: flat means the same rise.
  for (const megabytes of [50, 200]) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const download = await fetchOnce(agent, gatewayPort, host, `/download/${megabytes}`, cookie);
    clearInterval(sampler);
    console.log(`browse mode, ${megabytes} MB download: ${(download.bytes / 1024 / 1024).toFixed(0)} MB in ${download.ms.toFixed(0)} ms; RSS before ${(before / 1024 / 1024).toFixed(0)} MB, peak +${((peak - before) / 1024 / 1024).toFixed(1)} MB (client, gateway and vendor in this one process)`);
  }

  agent.destroy();
  await gateway.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
}
