import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from './cli.ts';

export interface MainRun {
  /** The exit code, or 'listening' when the gateway started (it is then stopped with SIGTERM). */
  readonly outcome: number | 'listening';
  /** The exit code after SIGTERM, when it was listening. */
  readonly stopCode?: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node src/main.ts` as `npm start` would, on an ephemeral port, until it either exits or
 * says it is listening; a listening gateway is stopped with SIGTERM and its exit code kept.
 */
export function runMain(env: Record<string, string>, timeoutMs = 20_000): Promise<MainRun> {
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(new Error(`main neither exited nor listened within ${timeoutMs} ms: ${stdout}${stderr}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      if (!/listening on port \d+/.test(stdout)) return;
      clearInterval(poll);
      clearTimeout(timeout);
      child.kill('SIGTERM');
      void exited.then((stopCode) => resolve({ outcome: 'listening', stopCode, stdout, stderr }));
    }, 50);
    void exited.then((code) => {
      if (/listening on port \d+/.test(stdout)) return;
      clearInterval(poll);
      clearTimeout(timeout);
      resolve({ outcome: code ?? -1, stdout, stderr });
    });
  });
}
