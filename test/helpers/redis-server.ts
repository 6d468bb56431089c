import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { findFreePort } from './free-port.ts';

/** A real redis-server of a test's own, on a free loopback port, with nothing saved to disk. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** A client of the test's own (to read every key the gateway wrote). */
  client(): Redis;
  /** Kills the server (SIGKILL: as a crash or a pulled cable would) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Fails loudly (never skips) when a binary a test needs is not installed. */
export function requireBinary(name: string, install: string): void {
  const found = spawnSync(name, ['-v'], { stdio: 'ignore' });
  if (found.error !== undefined) throw new Error(`${name} is not installed, and this test runs a real one: ${install} (.ci/run installs it)`);
}


export async function startRedis(): Promise<TestRedis> {
  requireBinary('redis-server', 'apt-get install redis-server');
  const port = await findFreePort();
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];
  async function start(): Promise<void> {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}: ${out}`)), 10_000);
      started.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      started.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${out}`));
      });
    });
  }
  async function kill(): Promise<void> {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await gone;
  }
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client() {
      const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
      client.on('error', () => {});
      clients.push(client);
      return client;
    },
    kill,
    restart: start,
    async close() {
      for (const client of clients) client.disconnect();
      await kill();
    },
  };
}
