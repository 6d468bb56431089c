import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort } from './free-port.ts';
import { requireBinary } from './redis-server.ts';
import { waitUntil } from './wait-until.ts';

/** A real haproxy of a test's own: round robin over `servers` on loopback, each answer saying which served it (X-Served-By). */
export interface TestHaproxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Writes the configuration to `dir` and starts haproxy in the foreground. It passes the client
 * address in X-Forwarded-For, checks each server's /healthz every 200 ms, and retries a request
 * whose connection failed or got no answer on the other server (GETs only: those can be replayed).
 */
export async function startHaproxy(dir: string, servers: ReadonlyArray<{ name: string; port: number }>, listenPort?: number): Promise<TestHaproxy> {
  requireBinary('haproxy', 'apt-get install haproxy');
  const port = listenPort ?? (await findFreePort());
  const config = join(dir, 'haproxy.cfg');
  await writeFile(
    config,
    [
      'global',
      '  maxconn 512',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 20s',
      '  timeout server 20s',
      '  option forwardfor',
      '  retries 3',
      '  option redispatch 1',
      '  retry-on conn-failure empty-response',
      'frontend gateway',
      `  bind 127.0.0.1:${port}`,
      '  default_backend nodes',
      'backend nodes',
      '  balance roundrobin',
      '  option httpchk GET /healthz',
      '  default-server inter 200ms fall 1 rise 1',
      '  http-response set-header X-Served-By %[srv_name]',
      ...servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port} check`),
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${out}`);
    return fetch(`${url}/healthz`).then((r) => r.status === 200, () => false);
  }, 'haproxy answers');
  return {
    url,
    async close() {
      if (child.exitCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
