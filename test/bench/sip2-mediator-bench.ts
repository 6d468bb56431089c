import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fakeChecksum } from '../helpers/fake-ils.ts';

/**
 * The SIP2 benchmark (issue 12): 200 concurrent vendor connections doing patron lookups (a 63 with
 * a PIN, one at a time per connection, as vendors do) against the fake ILS directly, and through
 * the mediator in front of the same ILS, and through a bare TCP relay (the floor: what any third
 * process in the path costs), in the same run, each server in its own process. Twice:
 * against an ILS that answers at once (the worst case for the mediator: "direct" is then pure CPU
 * of two processes, and the mediator adds a third on the same cores), and against one that spends
 * BENCH_SIP2_ILS_MS per lookup (a database lookup, by a timer; every connection in parallel). Prints lookups per second, p50 and
 * p99, the ratio mediator/direct, the p99 the mediator adds, CPU per lookup of the mediator, the
 * relay, the ILS and the vendors' side (process.cpuUsage of each over its run), and the mediator's
 * RSS sampled over its run.
 */
const CONNECTIONS = Number(process.env['BENCH_SIP2_CONNECTIONS'] ?? 200);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 30);
/** The mediator's connections to the ILS (sip2Mediator.ilsPool); default: as many as vendor connections, the ILS's load of the direct run. */
const POOL = Number(process.env['BENCH_SIP2_POOL'] ?? CONNECTIONS);
/** A real ILS's time per lookup, in ms (a list runs each: `2,20`); 0 leaves only the instant run. */
const ILS_MS = (process.env['BENCH_SIP2_ILS_MS'] ?? '2').split(',').map(Number).filter((ms) => ms > 0);
/**
 * An ILS serves a bounded number of lookups at once (its SIP server's workers, its database
 * connections): the service-time runs bound it to this many (0: no bound, every connection at once).
 */
const ILS_WORKERS = Number(process.env['BENCH_SIP2_ILS_WORKERS'] ?? 8);
/** Node flags for the mediator's process only (e.g. `--single-threaded-gc`), space-separated. */
const MEDIATOR_FLAGS = (process.env['BENCH_SIP2_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
/** Seconds between RSS samples of the mediator. */
const RSS_EVERY = Number(process.env['BENCH_SIP2_RSS_EVERY'] ?? 3);

interface Child {
  readonly child: ChildProcess;
  readonly port: number;
}

function start(args: string[], flags: ReadonlyArray<string> = []): Promise<Child> {
  const child = spawn(process.execPath, [...flags, 'test/bench/sip2-bench-servers.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /READY (\d+)/.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}`)));
  });
}

/** The child's RSS (MB) and CPU time so far (user + system, µs), from its own process; replies are matched by id. */
let asked = 0;
function statsOf(server: Child): Promise<{ rssMb: number; heapMb: number; cpuMicros: number }> {
  const id = ++asked;
  return new Promise((resolve) => {
    const onMessage = (message: { id: number; rssMb: number; heapMb: number; cpuMicros: number }): void => {
      if (message.id !== id) return;
      server.child.off('message', onMessage);
      resolve(message);
    };
    server.child.on('message', onMessage);
    server.child.send({ id });
  });
}

const protect = (body: string, sequence: number): string => {
  const throughAz = `${body}AY${sequence}AZ`;
  return `${throughAz}${fakeChecksum(throughAz)}\r`;
};

/** Lookup latencies in 10 µs buckets up to 2 s (bounded, whatever the run's length). */
const BUCKET_MS = 0.01;
function createLatencies(): { record(ms: number): void; quantile(q: number): number } {
  const buckets = new Uint32Array(200_000);
  let total = 0;
  return {
    record(ms) {
      buckets[Math.min(buckets.length - 1, Math.floor(ms / BUCKET_MS))]! += 1;
      total++;
    },
    quantile(q) {
      const rank = Math.ceil(q * total);
      let seen = 0;
      for (let index = 0; index < buckets.length; index++) {
        seen += buckets[index]!;
        if (seen >= rank && seen > 0) return (index + 1) * BUCKET_MS;
      }
      return Number.NaN;
    },
  };
}

const LOOKUP = '6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|';

/** One vendor connection: log in, then look up until `until`; records each lookup's latency. */
function vendor(port: number, login: string, until: number, latencies: ReturnType<typeof createLatencies>): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    let sequence = 0;
    let sent = 0;
    let done = 0;
    let buffer = '';
    const next = (): void => {
      if (Date.now() >= until) {
        socket.destroy();
        return resolve(done);
      }
      sequence = (sequence + 1) % 10;
      sent = performance.now();
      socket.write(protect(LOOKUP, sequence));
    };
    socket.on('connect', () => socket.write(protect(login, 0)));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let end = buffer.indexOf('\r');
      while (end >= 0) {
        const answer = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        end = buffer.indexOf('\r');
        if (answer.startsWith('64')) {
          done++;
          latencies.record(performance.now() - sent);
        } else if (!answer.startsWith('941')) {
          socket.destroy();
          return resolve(done);
        }
        next();
      }
    });
    socket.on('error', () => resolve(done));
    socket.on('close', () => resolve(done));
  });
}

interface Run {
  readonly perSecond: number;
  readonly lookups: number;
  readonly p50: number;
  readonly p99: number;
  /** CPU µs per lookup of each measured process, in the order given. */
  readonly cpuPerLookup: number[];
  /** CPU µs per lookup of this process, the vendors' side (the same work in both runs). */
  readonly vendorCpuPerLookup: number;
  /** RSS samples (MB) of the first measured process, every RSS_EVERY s, start and end included. */
  readonly rss: number[];
  /** Its V8 heap in use at the same moments (MB). */
  readonly heap: number[];
}

async function load(port: number, login: string, measured: ReadonlyArray<Child>): Promise<Run> {
  const latencies = createLatencies();
  const before = await Promise.all(measured.map(statsOf));
  const rss = [before[0]?.rssMb ?? Number.NaN];
  const heap = [before[0]?.heapMb ?? Number.NaN];
  const sampler = setInterval(() => {
    const first = measured[0];
    if (first)
      void statsOf(first).then((stats) => {
        rss.push(stats.rssMb);
        heap.push(stats.heapMb);
      });
  }, RSS_EVERY * 1000);
  const startedAt = Date.now();
  const vendorCpu = process.cpuUsage();
  const until = startedAt + SECONDS * 1000;
  const counts = await Promise.all(Array.from({ length: CONNECTIONS }, () => vendor(port, login, until, latencies)));
  const elapsed = (Date.now() - startedAt) / 1000;
  const vendorUsed = process.cpuUsage(vendorCpu);
  clearInterval(sampler);
  const after = await Promise.all(measured.map(statsOf));
  rss.push(after[0]?.rssMb ?? Number.NaN);
  heap.push(after[0]?.heapMb ?? Number.NaN);
  const lookups = counts.reduce((a, b) => a + b, 0);
  return {
    perSecond: lookups / elapsed,
    lookups,
    p50: latencies.quantile(0.5),
    p99: latencies.quantile(0.99),
    vendorCpuPerLookup: (vendorUsed.user + vendorUsed.system) / Math.max(1, lookups),
    cpuPerLookup: after.map((stats, index) => (stats.cpuMicros - (before[index]?.cpuMicros ?? 0)) / Math.max(1, lookups)),
    rss,
    heap,
  };
}

/** Flat: after the first sample past warm-up (the first third of the run), every sample within 10% of the lowest. */
function isFlat(rss: ReadonlyArray<number>): boolean {
  const settled = rss.slice(Math.max(1, Math.ceil(rss.length / 3)));
  return Math.max(...settled) <= 1.1 * Math.min(...settled);
}

async function compare(ilsMs: number, workers: number): Promise<void> {
  const ils = await start(['ils', String(ilsMs), String(workers)]);
  const relay = await start(['relay', String(ils.port)]);
  const mediator = await start(['mediator', String(ils.port), String(POOL)], MEDIATOR_FLAGS);
  try {
    const ilsLogin = '9300CNscclient|COclientpwd|CPvendor|';
    const direct = await load(ils.port, ilsLogin, [ils]);
    const relayed = await load(relay.port, ilsLogin, [relay, ils]);
    const mediated = await load(mediator.port, '9300CNbench-sip-user|CObench-sip-secret|', [mediator, ils]);
    const f = (n: number): string => n.toFixed(2);
    const µs = (n: number | undefined): string => `${(n ?? Number.NaN).toFixed(0)} µs`;
    const line = (name: string, run: Run, middle: string): string =>
      `  ${name.padEnd(9)} ${run.perSecond.toFixed(0).padStart(6)} lookups/s, p50 ${f(run.p50)} ms, p99 ${f(run.p99)} ms; CPU per lookup: ${middle}ILS ${µs(run.cpuPerLookup.at(-1))}, vendors ${µs(run.vendorCpuPerLookup)}`;
    console.log(`sip2 mediator, ${ilsMs === 0 ? 'ILS answering at once (CPU worst case)' : `ILS spending ${ilsMs} ms per lookup, ${workers > 0 ? `at most ${workers} at a time` : 'every connection at once'}`}: ${CONNECTIONS} connections, ${SECONDS}s each, mediator's ILS pool ${POOL}${MEDIATOR_FLAGS.length > 0 ? `, mediator run with ${MEDIATOR_FLAGS.join(' ')}` : ''}`);
    console.log(line('direct', direct, ''));
    console.log(line('relay', relayed, `relay ${µs(relayed.cpuPerLookup[0])}, `));
    console.log(line('mediator', mediated, `mediator ${µs(mediated.cpuPerLookup[0])}, `));
    console.log(`  ratio mediator/direct ${(mediated.perSecond / direct.perSecond).toFixed(2)} (target >= 0.8); p99 added ${f(mediated.p99 - direct.p99)} ms (target <= 2)`);
    console.log(`  the floor, a bare TCP relay: relay/direct ${(relayed.perSecond / direct.perSecond).toFixed(2)}, p99 added ${f(relayed.p99 - direct.p99)} ms; mediator/relay ${(mediated.perSecond / relayed.perSecond).toFixed(2)}`);
    console.log(`  mediator RSS every ${RSS_EVERY}s: ${mediated.rss.map((mb) => mb.toFixed(0)).join(' ')} MB (${isFlat(mediated.rss) ? 'flat' : 'not flat'} after warm-up: within 10%); V8 heap in use ${mediated.heap.map((mb) => mb.toFixed(0)).join(' ')} MB`);
  } finally {
    mediator.child.kill();
    relay.child.kill();
    ils.child.kill();
  }
}

export async function benchSip2Mediator(): Promise<void> {
  await compare(0, 0);
  for (const ms of ILS_MS) await compare(ms, ILS_WORKERS);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSip2Mediator();
