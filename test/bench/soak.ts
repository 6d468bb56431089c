/**
 * `npm run soak` (not in CI): a steady mixed load against a spawned gateway (src/main.ts, the
 * embedded demo with its ports moved to free ones: demo vendors, demo ILS, SIP2 mediator), for
 * SOAK_SECONDS (default 600). Every SOAK_SAMPLE_SECONDS (default 10) it reads the gateway's own
 * /metrics: resident memory (process_resident_memory_bytes), heap used (nodejs_heap_size_used_bytes)
 * and the event-loop delay p99 since the last read (nodejs_eventloop_lag_p99_seconds: prom-client's
 * perf_hooks.monitorEventLoopDelay, reset at every read). Prints a table, an ASCII chart per
 * series, and whether each is flat within 10% after warm-up (SOAK_WARMUP_SECONDS, default 60):
 * the least-squares drift over the window after warm-up, as a share of its mean.
 *
 * The load, SOAK_WORKERS (default 6) loops each picking, in turn: a sign-in (GET /login, POST
 * /login), API proxy GETs and a JSON POST to the demo e-books vendor, a gateway page (the sharing
 * page, the vendor register), and SIP2 patron lookups through the mediator on one connection.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shiftContractDates } from '../helpers/contracts.ts';
import { fakeChecksum } from '../helpers/fake-ils.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 600);
const SAMPLE_SECONDS = Number(process.env['SOAK_SAMPLE_SECONDS'] ?? 10);
const WARMUP_SECONDS = Number(process.env['SOAK_WARMUP_SECONDS'] ?? 60);
const WORKERS = Number(process.env['SOAK_WORKERS'] ?? 6);
const PATRONS = [
  { barcode: '29000000000001', pin: '1111' },
  { barcode: '29000000000002', pin: '2222' },
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The shipped demo settings and vendors in a temporary folder, every port moved to a free one. */
async function prepare(dir: string): Promise<{ settings: string; vendors: string; mediatorPort: number }> {
  const vendors = join(dir, 'vendors');
  await import('node:fs/promises').then((fs) => fs.mkdir(vendors));
  for (const name of await readdir(join(ROOT, 'vendors'))) {
    if (!name.endsWith('.yaml')) continue;
    let text = shiftContractDates(await readFile(join(ROOT, 'vendors', name), 'utf8'), new Date());
    const port = /url: http:\/\/127\.0\.0\.1:(\d+)/.exec(text)?.[1];
    if (port !== undefined) text = text.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${await freePort()}`);
    await writeFile(join(vendors, name), text);
  }
  for (const name of ['demo-sip2-vendor.user', 'demo-sip2-vendor.password']) await copyFile(join(ROOT, 'config', name), join(dir, name));
  const mediatorPort = await freePort();
  const shipped = await readFile(join(ROOT, 'config/gateway.yaml'), 'utf8');
  const settings = join(dir, 'gateway.yaml');
  await writeFile(settings, shipped.replace('port: 6001', `port: ${await freePort()}`).replace('port: 6011', `port: ${mediatorPort}`).replace('file: demo-patrons.yaml', `file: ${join(ROOT, 'config/demo-patrons.yaml')}`).replaceAll('branding/logo.svg', join(ROOT, 'config/branding/logo.svg')));
  return { settings, vendors, mediatorPort };
}

function startGateway(settings: string, vendors: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', GATEWAY_CONFIG: settings, GATEWAY_VENDORS_DIR: vendors } });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (/sip2 mediator listening/.test(output) && /listening on port \d+/.test(output)) {
        clearInterval(poll);
        resolve(child);
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`the gateway exited with ${code}: ${output}`));
    });
  });
}

/** Counts by kind of exchange, and the answers that were not what a working gateway gives. */
const counts = { signIn: 0, apiGet: 0, apiPost: 0, page: 0, sip2: 0, failed: 0 };

async function signIn(url: string, patron: { barcode: string; pin: string }): Promise<string> {
  const page = await fetch(`${url}/login?cleared=1`);
  const csrf = (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf }, body: new URLSearchParams({ ...patron, csrf: token, next: '/' }).toString() });
  await response.arrayBuffer();
  counts.signIn += 1;
  if (response.status !== 303) counts.failed += 1;
  const session = (response.headers.getSetCookie().find((c) => c.startsWith('gw_session=')) ?? '').split(';')[0] ?? '';
  let cookie = `${session}; ${csrf}`;
  // Accept the e-books notice, as a patron would, with the consents offered.
  const notice = await fetch(`${url}/notices/ebooks-demo`, { headers: { cookie } });
  const html = await notice.text();
  const body = new URLSearchParams({ csrf: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '', decision: 'accept' });
  for (const m of html.matchAll(/name="consent" value="([^"]+)"/g)) body.append('consent', m[1] ?? '');
  const accepted = await fetch(`${url}/notices/ebooks-demo`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  await accepted.arrayBuffer();
  cookie += `; ${(accepted.headers.getSetCookie().find((c) => c.startsWith('gw_notices=')) ?? '').split(';')[0]}`;
  return cookie;
}

async function expectStatus(response: Promise<Response>, status: number): Promise<void> {
  const answer = await response;
  await answer.arrayBuffer();
  if (answer.status !== status) counts.failed += 1;
}

/** One SIP2 vendor connection to the mediator: logs in, then answers `lookup()` one at a time. */
async function openSip2(port: number): Promise<{ lookup(barcode: string, pin: string): Promise<void>; close(): void }> {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let buffer = '';
  let waiting: ((answer: string) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    let end = buffer.indexOf('\r');
    while (end >= 0) {
      const answer = buffer.slice(0, end);
      buffer = buffer.slice(end + 1).replace(/^\n/, '');
      end = buffer.indexOf('\r');
      const resolve = waiting;
      waiting = undefined;
      resolve?.(answer);
    }
  });
  socket.on('error', () => undefined);
  let sequence = 0;
  const send = (body: string): Promise<string> =>
    new Promise((resolve) => {
      sequence = (sequence + 1) % 10;
      const throughAz = `${body}AY${sequence}AZ`;
      waiting = resolve;
      socket.write(`${throughAz}${fakeChecksum(throughAz)}\r`);
    });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const user = (await readFile(join(ROOT, 'config/demo-sip2-vendor.user'), 'utf8')).trim();
  const password = (await readFile(join(ROOT, 'config/demo-sip2-vendor.password'), 'utf8')).trim();
  const login = await send(`9300CN${user}|CO${password}|`);
  if (!login.startsWith('941')) throw new Error(`the SIP2 mediator refused the demo vendor's login: ${login.slice(0, 3)}`);
  return {
    async lookup(barcode, pin) {
      const answer = await send(`6300120240101    120000          AOdemo|AA${barcode}|AC|AD${pin}|`);
      counts.sip2 += 1;
      if (!answer.startsWith('64')) counts.failed += 1;
    },
    close: () => socket.destroy(),
  };
}

async function worker(index: number, url: string, mediatorPort: number, until: number): Promise<void> {
  const patron = PATRONS[index % PATRONS.length] ?? PATRONS[0];
  if (!patron) return;
  let cookie = await signIn(url, patron);
  const sip2 = await openSip2(mediatorPort);
  let step = 0;
  try {
    while (Date.now() < until) {
      step += 1;
      try {
        if (step % 50 === 0) cookie = await signIn(url, patron);
        else if (step % 5 === 0) {
          counts.apiPost += 1;
          await expectStatus(fetch(`${url}/v/ebooks-demo/api/holds`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ title: `book ${step}`, format: 'epub' }) }), 200);
        } else if (step % 7 === 0) {
          counts.page += 1;
          await expectStatus(fetch(`${url}/${step % 2 === 0 ? 'me/sharing' : 'privacy/vendors'}`, { headers: { cookie } }), 200);
        } else if (step % 3 === 0) await sip2.lookup(patron.barcode, patron.pin);
        else {
          counts.apiGet += 1;
          await expectStatus(fetch(`${url}/v/ebooks-demo/api/search?q=step${step % 100}`, { headers: { cookie, accept: 'application/json' } }), 200);
        }
      } catch {
        counts.failed += 1;
      }
    }
  } finally {
    sip2.close();
  }
}

interface Sample {
  readonly seconds: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly loopP99Ms: number;
  readonly exchanges: number;
}

function metricValue(text: string, name: string): number {
  const value = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text)?.[1];
  return value === undefined ? Number.NaN : Number(value);
}

/** Least-squares drift over the window, as a share of the window's mean (0.05 = grew 5%). */
function drift(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const slope = sxy / sxx;
  const span = (points[n - 1]?.x ?? 0) - (points[0]?.x ?? 0);
  return (slope * span) / my;
}

/** One series as rows of '#': each sample a column, scaled from the series' minimum to its maximum. */
function asciiChart(label: string, values: ReadonlyArray<number>, unit: string, rows = 6): string {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const lines = [`${label} (${min.toFixed(1)} to ${max.toFixed(1)} ${unit})`];
  for (let row = rows; row >= 1; row--) {
    const threshold = min + ((max - min) * (row - 0.5)) / rows;
    lines.push(`  |${values.map((v) => (max === min || v >= threshold ? '#' : ' ')).join('')}`);
  }
  lines.push(`  +${'-'.repeat(values.length)}`);
  return lines.join('\n');
}

const dir = await mkdtemp(join(tmpdir(), 'gw-soak-'));
const { settings, vendors, mediatorPort } = await prepare(dir);
const port = await freePort();
const gateway = await startGateway(settings, vendors, port);
const url = `http://127.0.0.1:${port}`;
const started = Date.now();
const until = started + SECONDS * 1000;
const samples: Sample[] = [];
let lastExchanges = 0;
const total = (): number => counts.signIn + counts.apiGet + counts.apiPost + counts.page + counts.sip2;
const sampler = setInterval(() => {
  void fetch(`${url}/metrics`).then(async (response) => {
    const text = await response.text();
    const exchanges = total();
    samples.push({
      seconds: Math.round((Date.now() - started) / 1000),
      rssMb: metricValue(text, 'process_resident_memory_bytes') / 1024 / 1024,
      heapMb: metricValue(text, 'nodejs_heap_size_used_bytes') / 1024 / 1024,
      loopP99Ms: metricValue(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      exchanges: exchanges - lastExchanges,
    });
    lastExchanges = exchanges;
  });
}, SAMPLE_SECONDS * 1000);
const load = await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i, url, mediatorPort, until).then(() => 'ok', (error: unknown) => `worker ${i} failed: ${String(error)}`)));
clearInterval(sampler);
gateway.kill('SIGTERM');
await new Promise((resolve) => gateway.once('exit', resolve));
await rm(dir, { recursive: true, force: true });

console.log(`soak: ${SECONDS} s, ${WORKERS} workers, a sample every ${SAMPLE_SECONDS} s, warm-up ${WARMUP_SECONDS} s; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores`);
for (const line of load) if (line !== 'ok') console.log(`  ${line}`);
console.log(`exchanges: ${total()} (sign-ins ${counts.signIn}, API GETs ${counts.apiGet}, API POSTs ${counts.apiPost}, pages ${counts.page}, SIP2 lookups ${counts.sip2}); unexpected answers ${counts.failed}`);
console.log('');
console.log('| t (s) | RSS (MB) | heap used (MB) | event-loop p99 (ms) | exchanges in interval |');
console.log('|---:|---:|---:|---:|---:|');
for (const s of samples) console.log(`| ${s.seconds} | ${s.rssMb.toFixed(1)} | ${s.heapMb.toFixed(1)} | ${s.loopP99Ms.toFixed(1)} | ${s.exchanges} |`);
console.log('');
const after = samples.filter((s) => s.seconds > WARMUP_SECONDS);
for (const [label, key, unit] of [['RSS', 'rssMb', 'MB'], ['heap used', 'heapMb', 'MB'], ['event-loop p99', 'loopP99Ms', 'ms']] as const) {
  console.log(asciiChart(label, samples.map((s) => s[key]), unit));
  const values = after.map((s) => s[key]);
  const d = drift(after.map((s) => ({ x: s.seconds, y: s[key] })));
  const spread = values.length > 0 ? (Math.max(...values) - Math.min(...values)) / (values.reduce((a, b) => a + b, 0) / values.length) : Number.NaN;
  const verdict = Number.isNaN(d) ? 'too few samples after warm-up' : Math.abs(d) <= 0.1 ? 'flat within 10%' : 'NOT flat within 10%';
  console.log(`  after warm-up (${after.length} samples): drift ${(d * 100).toFixed(1)}% of the mean, spread (max-min)/mean ${(spread * 100).toFixed(1)}%: ${verdict}`);
  console.log('');
}
