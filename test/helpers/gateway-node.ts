import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cli.ts';

/** One gateway process (src/main.ts, as `npm start` runs it) of a several-node test. */
export interface GatewayNode {
  readonly url: string;
  readonly port: number;
  output(): string;
  /** SIGKILL: the node dies with its requests in flight, as in a crash. */
  kill(): Promise<void>;
  /** SIGTERM, waiting for the exit. */
  stop(): Promise<void>;
}

/** Starts src/main.ts on `port` with `env` (GATEWAY_CONFIG and the secrets); resolves once it listens. */
export function startGatewayNode(port: number, env: Record<string, string>): Promise<GatewayNode> {
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: String(port), HOST: '127.0.0.1', ...env } });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`the gateway on ${port} did not listen within 20 s: ${out}`));
    }, 20_000);
    const poll = setInterval(() => {
      if (!/listening on port \d+/.test(out)) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ url: `http://127.0.0.1:${port}`, port, output: () => out, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') });
    }, 25);
    void exited.then(() => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`the gateway on ${port} exited: ${out}`));
    });
  });
}
