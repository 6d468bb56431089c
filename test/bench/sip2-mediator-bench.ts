import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fakeChecksum } from '../helpers/fake-ils.ts';

/**
 * The SIP2 benchmark (issue 12): 200 concurrent vendor connections doing patron lookups (a 63 with
 * a PIN, one at a time per connection, as vendors do) against the fake ILS directly, and through
 * the mediator in front of the same ILS, in the same run, each server in its own process. Prints
 * lookups per second, p50 and p99 latency, the ratio mediator/direct, the p99 the mediator adds,
 * and the mediator's RSS at the start and end of its run.
 */
const CONNECTIONS = Number(process.env['BENCH_SIP2_CONNECTIONS'] ?? 200);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 30);
const POOL = Number(process.env['BENCH_SIP2_POOL'] ?? 16);

function start(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['test/bench/sip2-bench-servers.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
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

function rssOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message: { rssMb: number }) => resolve(message.rssMb));
    child.send('rss');
  });
}

const protect = (body: string, sequence: number): string => {
  const throughAz = `${body}AY${sequence}AZ`;
  return `${throughAz}${fakeChecksum(throughAz)}\r`;
};

/** One vendor connection: log in, then look up until `until`; records each lookup's latency in ms. */
function vendor(port: number, login: string, until: number, latencies: number[]): Promise<number> {
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
      socket.write(protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', sequence));
    };
    socket.on('connect', () => socket.write(protect(login, 0)));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let end = buffer.indexOf('\r');
      while (end >= 0) {
        const answer = buffer.slice(0, end);
        buffer = buffer.slice(end + 1).replace(/^\n/, '');
        end = buffer.indexOf('\r');
        if (answer.startsWith('64')) {
          done++;
          latencies.push(performance.now() - sent);
        }
        next();
      }
    });
    socket.on('error', () => resolve(done));
    socket.on('close', () => resolve(done));
  });
}

async function load(port: number, login: string): Promise<{ perSecond: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const startedAt = Date.now();
  const until = startedAt + SECONDS * 1000;
  const counts = await Promise.all(Array.from({ length: CONNECTIONS }, () => vendor(port, login, until, latencies)));
  const elapsed = (Date.now() - startedAt) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { perSecond: counts.reduce((a, b) => a + b, 0) / elapsed, p50: at(0.5), p99: at(0.99) };
}

export async function benchSip2Mediator(): Promise<void> {
  const ils = await start(['ils']);
  const mediator = await start(['mediator', String(ils.port), String(POOL)]);
  try {
    const direct = await load(ils.port, '9300CNscclient|COclientpwd|CPvendor|');
    const rssBefore = await rssOf(mediator.child);
    const mediated = await load(mediator.port, '9300CNbench-sip-user|CObench-sip-secret|');
    const rssAfter = await rssOf(mediator.child);
    const f = (n: number): string => n.toFixed(2);
    console.log(`sip2 mediator: ${CONNECTIONS} connections, ${SECONDS}s each, ILS pool ${POOL}`);
    console.log(`  direct    ${direct.perSecond.toFixed(0)} lookups/s, p50 ${f(direct.p50)} ms, p99 ${f(direct.p99)} ms`);
    console.log(`  mediator  ${mediated.perSecond.toFixed(0)} lookups/s, p50 ${f(mediated.p50)} ms, p99 ${f(mediated.p99)} ms`);
    console.log(`  ratio mediator/direct ${(mediated.perSecond / direct.perSecond).toFixed(2)} (target >= 0.8); p99 added ${f(mediated.p99 - direct.p99)} ms (target <= 2)`);
    console.log(`  mediator RSS ${rssBefore.toFixed(0)} MB before its run, ${rssAfter.toFixed(0)} MB after`);
  } finally {
    mediator.child.kill();
    ils.child.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSip2Mediator();
