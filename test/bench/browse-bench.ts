import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request, Agent, type IncomingMessage } from 'node:http';

/**
 * Browse mode (BENCH_ONLY=browse). The vendor website, the gateway and this client each run in a
 * process of their own (browse-servers.ts), so what is reported of the gateway is its own: its
 * RSS read from /proc/<pid>/status, its CPU from its own process.cpuUsage() over IPC.
 *
 * 1. Added latency of rewriting: a 100 KB HTML page (links, images, styles, scripts to the
 *    vendor's hosts and a tracker) fetched one request at a time through browse mode, against the
 *    same bytes through the same gateway, vendor origin, session and stages served as text/plain,
 *    which no rewriter touches, alternating, in the same run. Reported: p50 and p99 of each, the
 *    added p50, and the gateway process's CPU per page for each and their ratio (the cost of the
 *    IPC question itself, measured alone, is subtracted from both).
 * 2. Large bodies through browse mode, the gateway's RSS sampled every 10 ms: (a) 50 and 200 MB of
 *    application/octet-stream (streamed untouched), (b) 50 and 200 MB of HTML (rewritten as it
 *    streams), (c) 50 and 200 MB of gzip-encoded HTML (decoded, rewritten, re-encoded), each read
 *    at full speed, then 50 MB once more by a slow reader that stops reading three times, each time
 *    until the vendor has sent nothing for a second. Reported: the peak rise of the gateway's RSS
 *    over its RSS before the case (after a full collection); flat = the rise does not grow with
 *    the body (200 MB does not rise 4 times what 50 MB does) and stays bounded. At each pause of the slow reader: whether the vendor
 *    stalled (the gateway stopped reading from it instead of buffering), the bytes waiting in the
 *    kernel's socket queues on each side (/proc/net/tcp), and so what the gateway itself holds.
 */
const ROUNDS = Number(process.env['BENCH_BROWSE_ROUNDS'] ?? 400);
/** The two sizes of the large bodies, MB (`BENCH_BROWSE_MB=50,200`). */
const LARGE = (process.env['BENCH_BROWSE_MB'] ?? '50,200').split(',').map(Number) as [number, number];

interface Server {
  child: ChildProcess;
  pid: number;
  port: number;
  lines: Map<string, string>;
}

function startServer(args: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--expose-gc', 'test/bench/browse-servers.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (out.length > 10_000) return;
      out += chunk.toString();
      const port = /READY (\d+)/.exec(out)?.[1];
      if (port) {
        const lines = new Map([...out.matchAll(/^([A-Z]+) (.+)$/gm)].map((m) => [m[1] as string, m[2] as string]));
        resolve({ child, pid: child.pid as number, port: Number(port), lines });
      }
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}`)));
  });
}

/** One question to a server over IPC, one answer (questions to one server are never concurrent). */
function ask<T>(server: Server, question: string): Promise<T> {
  return new Promise((resolve) => {
    server.child.once('message', (answer: T) => resolve(answer));
    server.child.send(question);
  });
}

const cpuMicros = async (server: Server): Promise<number> => (await ask<{ cpuMicros: number }>(server, 'cpu')).cpuMicros;
const vendorProgress = (vendor: Server): Promise<{ sent: number; total: number }> => ask(vendor, 'sent');

/**
 * Bytes waiting in the kernel on the established loopback TCP connections to or from `port`
 * (/proc/net/tcp: tx_queue, not yet acknowledged by the peer, plus rx_queue, not yet read by the
 * owner), both ends of each connection.
 */
function kernelQueued(port: number): number {
  let total = 0;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5 || fields[3] !== '01') continue;
    const ports = [fields[1], fields[2]].map((address) => parseInt(address?.split(':')[1] ?? '0', 16));
    if (!ports.includes(port)) continue;
    const [tx, rx] = (fields[4] as string).split(':').map((hex) => parseInt(hex, 16));
    total += (tx ?? 0) + (rx ?? 0);
  }
  return total;
}

function rssBytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const signedMb = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${mb(bytes)}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GETs a path through the gateway and reads the body; `onProgress` may pause the response (it
 * is called with the bytes read so far after each chunk, and reading stops until it resolves).
 */
function fetchOnce(agent: Agent, port: number, host: string, path: string, cookie: string, onProgress?: (bytes: number, res: IncomingMessage) => Promise<void> | undefined): Promise<{ ms: number; bytes: number; encoding: string | undefined }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host, cookie, accept: 'text/html', 'accept-encoding': 'gzip' }, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        const waiting = onProgress?.(bytes, res);
        if (waiting) {
          res.pause();
          void waiting.then(() => res.resume());
        }
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${path} answered ${res.statusCode}`));
        else resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, bytes, encoding: res.headers['content-encoding'] });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchBrowse(): Promise<void> {
  const vendor = await startServer(['vendor']);
  const gateway = await startServer(['gateway', String(vendor.port)]);
  const host = gateway.lines.get('HOST') as string;
  const cookie = gateway.lines.get('COOKIE') as string;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string, onProgress?: Parameters<typeof fetchOnce>[5]) => fetchOnce(agent, gateway.port, host, path, cookie, onProgress);
  console.log('\nbrowse mode (vendor, gateway and client each in a process of their own; gateway CPU and RSS are its own)');
  try {
    // 1. Latency, alternating rewritten and untouched, after a warm-up of each.
    for (let i = 0; i < 50; i++) {
      await get('/page');
      await get('/plain');
    }
    // What one CPU question costs the gateway (answering it falls inside every measured interval).
    let ipc = 0;
    let last = await cpuMicros(gateway);
    for (let i = 0; i < 200; i++) {
      const now = await cpuMicros(gateway);
      ipc += now - last;
      last = now;
    }
    ipc /= 200;
    const rewritten: number[] = [];
    const untouched: number[] = [];
    let rewrittenCpu = 0;
    let untouchedCpu = 0;
    let bytes = 0;
    let plainBytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const a0 = await cpuMicros(gateway);
      const a = await get('/page');
      const a1 = await cpuMicros(gateway);
      const b = await get('/plain');
      const b1 = await cpuMicros(gateway);
      rewrittenCpu += a1 - a0 - ipc;
      untouchedCpu += b1 - a1 - ipc;
      rewritten.push(a.ms);
      untouched.push(b.ms);
      bytes = a.bytes;
      plainBytes = b.bytes;
    }
    const p50a = percentile(rewritten, 50);
    const p50b = percentile(untouched, 50);
    const cpuA = rewrittenCpu / ROUNDS / 1000;
    const cpuB = untouchedCpu / ROUNDS / 1000;
    console.log(`  ${(plainBytes / 1024).toFixed(0)} KB HTML page (${(bytes / 1024).toFixed(0)} KB rewritten), ${ROUNDS} sequential requests each, alternating:`);
    console.log(`    rewritten:            p50 ${p50a.toFixed(2)} ms, p99 ${percentile(rewritten, 99).toFixed(2)} ms, gateway CPU ${cpuA.toFixed(2)} ms/page`);
    console.log(`    same bytes untouched: p50 ${p50b.toFixed(2)} ms, p99 ${percentile(untouched, 99).toFixed(2)} ms, gateway CPU ${cpuB.toFixed(2)} ms/page`);
    console.log(`    added by rewriting:   p50 +${(p50a - p50b).toFixed(2)} ms (target <= 10 ms); gateway CPU +${(cpuA - cpuB).toFixed(2)} ms/page, ratio ${(cpuA / cpuB).toFixed(1)} (IPC question ${(ipc / 1000).toFixed(3)} ms, subtracted)`);

    // 2. Large bodies: the gateway's RSS rise, full speed at 50 and 200 MB, then a slow reader.
    const cases = [
      { name: 'application/octet-stream, streamed untouched', path: 'download' },
      { name: 'text/html, rewritten as it streams', path: 'html' },
      { name: 'text/html gzip-encoded: decoded, rewritten, re-encoded', path: 'gzip' },
    ];
    console.log(`  large bodies; gateway RSS sampled every 10 ms, rise over its RSS before the case after a full collection; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}:`);
    for (const { name, path } of cases) {
      await ask(gateway, 'gc');
      await sleep(200);
      const before = rssBytes(gateway.pid);
      console.log(`    ${name} (gateway RSS before ${mb(before)} MB)`);
      for (const run of [{ megabytes: LARGE[0], slow: false }, { megabytes: LARGE[1], slow: false }, { megabytes: LARGE[0], slow: true }]) {
        let peak = rssBytes(gateway.pid);
        const sampler = setInterval(() => (peak = Math.max(peak, rssBytes(gateway.pid))), 10);
        const pauses: Array<{ read: number; sent: number; waited: number; stalled: boolean; vendorLeg: number; clientLeg: number; rss: number }> = [];
        let pauseAt: number[] | undefined;
        // The slow reader: at 20, 40 and 60% of the vendor's body it stops reading until the vendor
        // has sent nothing for a second (the gateway stopped reading from it) or 20 s have passed.
        const slowReader = (read: number): Promise<void> | undefined => {
          if (!run.slow) return undefined;
          if (pauseAt === undefined) {
            pauseAt = [];
            return vendorProgress(vendor).then(({ total }) => void (pauseAt = [0.2, 0.4, 0.6].map((f) => f * total)));
          }
          if (pauseAt.length === 0 || read < (pauseAt[0] as number)) return undefined;
          pauseAt.shift();
          return (async () => {
            const started = Date.now();
            let sent = (await vendorProgress(vendor)).sent;
            let still = 0;
            while (still < 4 && Date.now() - started < 20_000) {
              await sleep(250);
              const now = (await vendorProgress(vendor)).sent;
              still = now === sent ? still + 1 : 0;
              sent = now;
            }
            pauses.push({ read, sent, waited: (Date.now() - started) / 1000, stalled: still >= 4, vendorLeg: kernelQueued(vendor.port), clientLeg: kernelQueued(gateway.port), rss: rssBytes(gateway.pid) });
          })();
        };
        const cpu0 = await cpuMicros(gateway);
        const download = await get(`/${path}/${run.megabytes}`, slowReader);
        const cpu = (await cpuMicros(gateway)) - cpu0;
        clearInterval(sampler);
        peak = Math.max(peak, rssBytes(gateway.pid));
        const sent = (await vendorProgress(vendor)).sent;
        const label = `${run.megabytes} MB${run.slow ? ', slow reader' : ''}`;
        const speed = run.slow ? '' : `, ${(sent / 1024 / 1024 / (download.ms / 1000)).toFixed(1)} MB/s, gateway CPU ${(cpu / 1000 / (sent / 1024 / 1024)).toFixed(1)} ms per vendor MB`;
        console.log(`      ${label.padEnd(20)} vendor sent ${mb(sent)} MB, client read ${mb(download.bytes)} MB${download.encoding ? ` (${download.encoding})` : ''} in ${(download.ms / 1000).toFixed(1)} s${speed}; gateway RSS peak ${signedMb(peak - before)} MB`);
        // In vendor bytes: what the vendor handed to the kernel, minus what sits in the kernel on the
        // vendor's side, minus what the client read or has waiting in the kernel (scaled back to
        // vendor bytes by the body's overall ratio): what the gateway process itself holds.
        const ratio = sent / download.bytes;
        for (const p of pauses) {
          const held = p.sent - p.vendorLeg - (p.read + p.clientLeg) * ratio;
          console.log(`        paused at ${mb(p.read)} MB read: ${p.stalled ? `vendor stalled after ${p.waited.toFixed(1)} s` : `vendor still sending after ${p.waited.toFixed(0)} s`} at ${mb(p.sent)} MB sent; kernel socket queues ${mb(p.vendorLeg)} MB vendor to gateway, ${mb(p.clientLeg)} MB gateway to client; held by the gateway about ${mb(held)} MB; gateway RSS ${signedMb(p.rss - before)} MB`);
        }
      }
    }
  } finally {
    agent.destroy();
    gateway.child.kill();
    vendor.child.kill();
  }
}
