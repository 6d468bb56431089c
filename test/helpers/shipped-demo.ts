import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import { copyShippedVendors } from './contracts.ts';
import { findFreePort } from './free-port.ts';

/** The demo-only login and key files the shipped settings name relative to themselves: copied beside the copy. */
const DEMO_FILES = ['demo-sip2-vendor.user', 'demo-sip2-vendor.password', 'demo-only-saml-idp.key', 'demo-only-saml-idp.crt'] as const;

export interface ShippedDemo {
  /** The folder holding the copied settings, demo files and vendors (removed by stop). */
  readonly dir: string;
  readonly vendors: string;
  readonly settings: string;
  /** The gateway's own origin (http://127.0.0.1:PORT). */
  readonly url: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface ShippedDemoOptions {
  /** The temporary folder's prefix (gw-demo-...). */
  readonly name: string;
  /** Edits to the copy before the process starts (a demo service's metadata naming a moved port...). */
  readonly prepare?: (copy: { dir: string; vendors: string }) => Promise<void>;
  /** More the output must say, besides the gateway listening, before the demo counts as started. */
  readonly readyWhen?: RegExp;
}

/**
 * `npm start` on the shipped files: config/gateway.yaml copied with the demo ILS and SIP2 mediator
 * moved to free ports, the demo-only files beside it, the shipped vendors copied with dates around
 * today (the process runs on the wall clock), then `node src/main.ts` on port 0 until it says it listens.
 */
export async function startShippedDemo(options: ShippedDemoOptions): Promise<ShippedDemo> {
  const dir = await mkdtemp(join(tmpdir(), `${options.name}-`));
  let child: ChildProcess | undefined;
  let output = '';
  const stop = async (): Promise<void> => {
    child?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const vendors = await copyShippedVendors(ROOT, join(dir, 'vendors'), new Date());
    const [ilsPort, mediatorPort] = [await findFreePort(), await findFreePort()];
    const shipped = await readFile(join(ROOT, 'config/gateway.yaml'), 'utf8');
    for (const fixed of ['port: 6001', 'port: 6011']) if (!shipped.includes(fixed)) throw new Error(`config/gateway.yaml no longer says "${fixed}": update test/helpers/shipped-demo.ts`);
    for (const name of DEMO_FILES) await copyFile(join(ROOT, 'config', name), join(dir, name));
    const settings = join(dir, 'gateway.yaml');
    await writeFile(settings, shipped.replace('port: 6001', `port: ${ilsPort}`).replace('port: 6011', `port: ${mediatorPort}`).replace('file: demo-patrons.yaml', `file: ${join(ROOT, 'config/demo-patrons.yaml')}`).replaceAll('branding/logo.svg', join(ROOT, 'config/branding/logo.svg')));
    await options.prepare?.({ dir, vendors });
    const started = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', GATEWAY_CONFIG: settings, GATEWAY_VENDORS_DIR: vendors } });
    child = started;
    started.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    started.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const listening = /listening on port (\d+)/.exec(output)?.[1];
        if (listening !== undefined && (options.readyWhen?.test(output) ?? true)) {
          clearInterval(timer);
          resolve(listening);
        }
      }, 50);
      started.on('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`main exited with ${code}: ${output}`));
      });
    });
    return { dir, vendors, settings, url: `http://127.0.0.1:${port}`, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
