import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, spawnGateway } from '../helpers/cli.ts';
import { copyShippedVendors } from '../helpers/contracts.ts';

/**
 * The embedded demo's SIP2 side, end to end on the shipped files: `npm start` (main.ts on the
 * shipped config/gateway.yaml, its ports moved to free ones) starts the demo ILS and the SIP2
 * mediator with the shipped demo SIP2 vendor (vendors/audiobooks-sip2-demo.yaml) and its demo-only
 * login files; `gateway sip2-probe` then plays that vendor. The process runs on the wall clock, so
 * the shipped contracts are copied with dates around today.
 */
let dir: string;
let vendors: string;
let settings: string;
let child: ChildProcess | undefined;
let output = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-demo-sip2-'));
  vendors = await copyShippedVendors(ROOT, join(dir, 'vendors'), new Date());
  const ilsPort = await freePort();
  const mediatorPort = await freePort();
  const shipped = await readFile(join(ROOT, 'config/gateway.yaml'), 'utf8');
  expect(shipped).toMatch(/port: 6001/);
  expect(shipped).toMatch(/port: 6011/);
  // The login files are named relative to the settings file: copied beside the copy.
  for (const name of ['demo-sip2-vendor.user', 'demo-sip2-vendor.password', 'demo-only-saml-idp.key', 'demo-only-saml-idp.crt']) await copyFile(join(ROOT, 'config', name), join(dir, name));
  settings = join(dir, 'gateway.yaml');
  await writeFile(settings, shipped.replace('port: 6001', `port: ${ilsPort}`).replace('port: 6011', `port: ${mediatorPort}`).replace('file: demo-patrons.yaml', `file: ${join(ROOT, 'config/demo-patrons.yaml')}`).replaceAll('branding/logo.svg', join(ROOT, 'config/branding/logo.svg')));
  child = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', GATEWAY_CONFIG: settings, GATEWAY_VENDORS_DIR: vendors } });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/sip2 mediator listening/.test(output) && /listening on port \d+/.test(output)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child?.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`main exited with ${code}: ${output}`));
    });
  });
});

afterAll(async () => {
  child?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

const probe = (barcode: string, pin: string) =>
  spawnGateway(['sip2-probe', 'audiobooks-sip2-demo', '--barcode', barcode, '--pin-env', 'PROBE_PIN', '--config', settings], { PROBE_PIN: pin, GATEWAY_VENDORS_DIR: vendors });

function column(stdout: string, id: string): { ils: string; mediator: string } {
  const line = stdout.split('\n').find((l) => l.startsWith(id.padEnd(8))) ?? '';
  return { ils: line.slice(8, 48).trim(), mediator: line.slice(49).trim() };
}

describe('the embedded demo: a demo SIP2 vendor asks the mediator, which asks the demo ILS', () => {
  it('an adult demo patron: the ILS gives name, address, e-mail, phone and birth date; the vendor gets a pseudonym in AA, an age group and validity only', async () => {
    const result = await probe('29000000000001', '1111');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(column(result.stdout, 'AE')).toEqual({ ils: 'Ada Demo-Patron', mediator: 'Library Patron' });
    expect(column(result.stdout, 'BE')).toEqual({ ils: 'ada.demo@example.org', mediator: '(withheld)' });
    expect(column(result.stdout, 'BD').mediator).toBe('(withheld)');
    expect(column(result.stdout, 'PB')).toEqual({ ils: '19880412', mediator: '(withheld)' });
    expect(column(result.stdout, 'XI')).toEqual({ ils: 'p-0001', mediator: '(withheld)' });
    expect(column(result.stdout, 'PZ').mediator).toBe('18+');
    const aa = column(result.stdout, 'AA');
    expect(aa.ils).toBe('29000000000001');
    expect(aa.mediator).toMatch(/^[a-z0-9]{20,}$/);
    expect(column(result.stdout, 'BL')).toEqual({ ils: 'Y', mediator: 'Y' });
    expect(column(result.stdout, 'CQ')).toEqual({ ils: 'Y', mediator: 'Y' });
    // The PIN is read from the environment and never printed.
    expect(result.stdout).not.toContain('1111');
    // Nothing about the patron in the gateway's own output (its logs).
    for (const canary of ['29000000000001', 'Ada', 'ada.demo@example.org', '19880412']) expect(output).not.toContain(canary);
  });

  it('a wrong PIN: the vendor learns "not this PIN" (CQ N) and nothing else, as the ILS answered', async () => {
    const result = await probe('29000000000001', '0000');
    expect(result.code).toBe(0);
    expect(column(result.stdout, 'CQ')).toEqual({ ils: 'N', mediator: 'N' });
    // No age group and no pseudonym: the barcode the vendor typed comes back, and nothing else.
    expect(result.stdout).not.toMatch(/^PZ/m);
    expect(column(result.stdout, 'AA')).toEqual({ ils: '29000000000001', mediator: '29000000000001' });
    expect(column(result.stdout, 'AE')).toEqual({ ils: 'Ada Demo-Patron', mediator: 'Library Patron' });
    // The fixed part: the 14 status flags after the code are all blank.
    const fixed = [...(result.stdout.split('\n').find((l) => l.startsWith('fixed')) ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(fixed).toHaveLength(2);
    expect(fixed[1]?.slice(2, 16)).toBe(' '.repeat(14));
  });
});
