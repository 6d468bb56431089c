import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port.ts';
import { requireBinary } from './redis-server.ts';
import { waitUntil } from './wait-until.ts';

/** A real Prometheus server of a test's own (Debian's `prometheus`), on a free loopback port, with its data in a temporary folder. */
export interface TestPrometheus {
  readonly port: number;
  readonly url: string;
  /** Starts it scraping `target` (host:port) every second as job "gateway", and waits until it answers ready. */
  start(target: string, options?: { metricsPath?: string; bearerToken?: string }): Promise<void>;
  /** Evaluates an instant PromQL query; the samples' values. */
  query(expression: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Stops the server (SIGKILL, as a crash would) and waits until it is gone. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Picks the port first (so the gateway's settings can name the URL before the server runs), then
 * start() writes a config scraping the gateway every second and runs `prometheus` on loopback.
 */
export async function preparePrometheus(): Promise<TestPrometheus> {
  requireBinary('prometheus', 'apt-get install prometheus');
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'gw-prometheus-'));
  let child: ChildProcess | undefined;
  let output = '';
  async function kill(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  }
  return {
    port,
    url,
    async start(target, options = {}) {
      const config = [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: gateway',
        '    scrape_interval: 1s',
        '    scrape_timeout: 1s',
        `    metrics_path: ${options.metricsPath ?? '/metrics'}`,
        ...(options.bearerToken ? ['    authorization:', `      credentials: ${options.bearerToken}`] : []),
        '    static_configs:',
        `      - targets: ['${target}']`,
      ].join('\n');
      await writeFile(join(dir, 'prometheus.yml'), `${config}\n`);
      const started = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      started.stdout?.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-4000)));
      started.stderr?.on('data', (chunk: Buffer) => (output = `${output}${chunk.toString()}`.slice(-4000)));
      await waitUntil(
        async () => {
          if (started.exitCode !== null) throw new Error(`prometheus exited with ${started.exitCode}: ${output}`);
          try {
            return (await fetch(`${url}/-/ready`)).status === 200;
          } catch {
            return false;
          }
        },
        'prometheus answers ready',
        20_000,
        100,
      );
    },
    async query(expression) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expression }).toString()}`);
      const body = (await response.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (body.status !== 'success') throw new Error(`prometheus refused ${expression}`);
      return body.data.result;
    },
    kill,
    async close() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
