import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

/**
 * `gateway explain ... | head -1`: a reader that stops early closes the pipe. The command stops
 * quietly with its own exit code, as Unix tools do, never with a stack trace of EPIPE.
 */
describe('the gateway command when its reader goes away', () => {
  it('exits without a stack trace when standard output is closed before it writes', async () => {
    const child = spawn(process.execPath, ['src/cli/gateway.ts', 'explain', 'ebooks-demo', '--config', TEST_SETTINGS, '--patron', `${ROOT}/config/demo-patrons.yaml`, '--at', '2026-11-29', '--barcode', '29000000000001'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', ...TEST_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reading end closes at once, before the command has written anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(stderr).not.toMatch(/EPIPE|    at |Unhandled/);
    expect(code).toBe(0);
  });
});
