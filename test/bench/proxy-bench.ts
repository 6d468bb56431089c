import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

/**
 * The proxy benchmark: one loopback upstream and three proxies in front of it, each in its own
 * process (bare node:http + http-proxy-middleware, express + helmet + the same, and the gateway
 * with a pseudonymous JWT contract and a signed-in session). Each is loaded with autocannon,
 * alternating, and the ratios gateway/express and gateway/bare are printed for a small JSON GET,
 * a 2 KB JSON POST through the patron-value guard, and a 1 MB download with peak RSS.
 */
interface Server {
  child: ChildProcess;
  port: number;
  cookie?: string;
}

function startServer(mode: string, upstreamUrl = ''): Promise<Server> {
  const child = spawn(process.execPath, ['test/bench/proxy-servers.ts', mode, upstreamUrl], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (out.length > 10_000) return; // only the READY and COOKIE lines matter
      out += chunk.toString();
      const port = /READY (\d+)/.exec(out)?.[1];
      if (port) {
        const cookie = /COOKIE (.+)/.exec(out)?.[1];
        resolve({ child, port: Number(port), ...(cookie ? { cookie } : {}) });
      }
    });
    child.on('exit', (code) => reject(new Error(`${mode} exited ${code}`)));
  });
}

/** The server's CPU time so far (user + system, microseconds), from its own process.cpuUsage(). */
function cpuMicros(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.child.once('message', (message: { cpuMicros: number }) => resolve(message.cpuMicros));
    server.child.send('cpu');
  });
}

function peakRssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Starts a new peak-RSS measurement for a process (Linux: writing 5 to clear_refs resets VmHWM). */
function resetPeakRss(pid: number | undefined): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not permitted here: the peak then counts from the process's start.
  }
}

async function load(url: string, options: { method?: string; body?: string; headers?: Record<string, string>; seconds: number }) {
  const result = await autocannon({
    url,
    connections: 32,
    duration: options.seconds,
    method: (options.method ?? 'GET') as 'GET',
    headers: options.headers ?? {},
    ...(options.body ? { body: options.body } : {}),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
}

export async function benchProxy(seconds = Number(process.env['BENCH_SECONDS'] ?? 4), rounds = Number(process.env['BENCH_ROUNDS'] ?? 2)): Promise<void> {
  const upstream = await startServer('upstream');
  const upstreamUrl = `http://127.0.0.1:${upstream.port}`;
  const servers = { bare: await startServer('bare', upstreamUrl), express: await startServer('express', upstreamUrl), gateway: await startServer('gateway', upstreamUrl) };
  const cookie = servers.gateway.cookie ?? '';
  const post = JSON.stringify({ query: 'birds of north america', filters: Array.from({ length: 30 }, (_, i) => ({ field: `f${i}`, value: `value number ${i} for the search` })) }).slice(0, 2048);
  const scenarios = [
    { name: 'GET small JSON', path: '/v/bench/item/1', options: {} },
    { name: 'POST 2 KB JSON (guard on)', path: '/v/bench/search', options: { method: 'POST', body: post, headers: { 'content-type': 'application/json' } } },
    { name: 'GET 1 MB download', path: '/v/bench/download/book.epub', options: {} },
  ];
  console.log(`\nproxy (autocannon, 32 connections, ${seconds}s per run, ${rounds} alternating rounds; each proxy in its own process)`);
  try {
    for (const scenario of scenarios) {
      const idleRss: Record<string, number> = {};
      for (const [name, server] of Object.entries(servers)) {
        idleRss[name] = rssMb(server.child.pid);
        resetPeakRss(server.child.pid);
      }
      const totals: Record<string, { rps: number; p50: number; p99: number; cpu: number; requests: number }> = {};
      for (let round = 0; round < rounds; round++) {
        for (const [name, server] of Object.entries(servers)) {
          const headers = { ...(scenario.options.headers ?? {}), ...(name === 'gateway' ? { cookie } : {}) };
          const before = await cpuMicros(server);
          const r = await load(`http://127.0.0.1:${server.port}${scenario.path}`, { ...scenario.options, headers, seconds });
          const cpu = (await cpuMicros(server)) - before;
          const t = (totals[name] ??= { rps: 0, p50: 0, p99: 0, cpu: 0, requests: 0 });
          t.rps += r.rps / rounds;
          t.p50 += r.p50 / rounds;
          t.p99 += r.p99 / rounds;
          t.cpu += cpu;
          t.requests += r.requests;
        }
      }
      console.log(`  ${scenario.name}`);
      for (const [name, t] of Object.entries(totals)) {
        console.log(`    ${name.padEnd(8)} ${Math.round(t.rps).toString().padStart(7)} req/s   p50 ${t.p50.toFixed(1).padStart(5)} ms   p99 ${t.p99.toFixed(1).padStart(5)} ms   CPU ${(t.cpu / t.requests).toFixed(0).padStart(5)} µs/request`);
      }
      const g = totals['gateway'];
      const e = totals['express'];
      const b = totals['bare'];
      if (g && e && b) {
        const cpuRatio = g.cpu / g.requests / (b.cpu / b.requests);
        console.log(`    ratio gateway/express ${(g.rps / e.rps).toFixed(2)}   gateway/bare ${(g.rps / b.rps).toFixed(2)}   CPU per request gateway/bare ${cpuRatio.toFixed(2)}   p99 added vs bare ${(g.p99 - b.p99).toFixed(1)} ms`);
      }
      if (scenario.name.includes('download')) {
        // Flat: what each server's memory grows by while streaming, over its size before the downloads.
        const growth = Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, peakRssMb(server.child.pid) - (idleRss[name] ?? 0)]));
        console.log(`    peak RSS growth while streaming (over RSS before the downloads): bare +${growth['bare']?.toFixed(0)} MB, express +${growth['express']?.toFixed(0)} MB, gateway +${growth['gateway']?.toFixed(0)} MB (gateway idle ${idleRss['gateway']?.toFixed(0)} MB)`);
      }
    }
    console.log('  targets: GET gateway/bare >= 0.75 and gateway/express >= 1.2; POST 2 KB gateway/bare >= 0.7; GET CPU per request gateway/bare <= 1.35; p99 added <= 2 ms at 32 connections; 1 MB download RSS flat');
  } finally {
    for (const server of [upstream, ...Object.values(servers)]) server.child.kill();
  }
}
