import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { copyShippedVendors } from '../helpers/contracts.ts';
import { CookieJar, followSignIn, readPostedForm, step } from '../helpers/saml-gateway.ts';

/**
 * The embedded demo's SAML side, end to end on the shipped files: `npm start` (main.ts on the
 * shipped config/gateway.yaml with its demo-only SAML key, ports moved to free ones) starts the
 * demo SAML service (built on @node-saml/node-saml) for vendors/journals-saml-demo.yaml; a demo
 * patron signs in to it through the gateway and its page lists the attributes it received. The
 * process runs on the wall clock, so the shipped contracts are copied with dates around today.
 */
let dir: string;
let child: ChildProcess | undefined;
let output = '';
let gatewayUrl = '';
let spUrl = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-demo-saml-'));
  const vendors = await copyShippedVendors(ROOT, join(dir, 'vendors'), new Date());
  const [spPort, ilsPort, mediatorPort] = [await freePort(), await freePort(), await freePort()];
  spUrl = `http://127.0.0.1:${spPort}`;
  // The demo SP's metadata names its fixed port; the copy names a free one.
  const metadata = join(vendors, 'journals-saml-demo.metadata.xml');
  await writeFile(metadata, (await readFile(metadata, 'utf8')).replaceAll('127.0.0.1:6031', `127.0.0.1:${spPort}`));
  for (const name of ['demo-sip2-vendor.user', 'demo-sip2-vendor.password', 'demo-only-saml-idp.key', 'demo-only-saml-idp.crt']) await copyFile(join(ROOT, 'config', name), join(dir, name));
  const shipped = await readFile(join(ROOT, 'config/gateway.yaml'), 'utf8');
  expect(shipped).toMatch(/signingKey: \{ file: demo-only-saml-idp\.key \}/);
  const settings = join(dir, 'gateway.yaml');
  await writeFile(settings, shipped.replace('port: 6001', `port: ${ilsPort}`).replace('port: 6011', `port: ${mediatorPort}`).replace('file: demo-patrons.yaml', `file: ${join(ROOT, 'config/demo-patrons.yaml')}`).replaceAll('branding/logo.svg', join(ROOT, 'config/branding/logo.svg')));
  child = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', GATEWAY_CONFIG: settings, GATEWAY_VENDORS_DIR: vendors } });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      const port = /listening on port (\d+)/.exec(output)?.[1];
      if (port !== undefined) {
        clearInterval(timer);
        gatewayUrl = `http://127.0.0.1:${port}`;
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

describe('the embedded demo: a demo SAML service signs a patron in through the gateway', () => {
  it('the demo patron signs in, accepts the notice, and the service shows the pairwise id, affiliation and age band it received', async () => {
    const jar = new CookieJar();
    // The demo SP sends the browser to the shipped publicUrl (http://localhost:8080); the test reaches the same path on the real port.
    const login = await fetch(`${spUrl}/login`, { redirect: 'manual' });
    const sso = new URL(login.headers.get('location') ?? '');
    expect(`${sso.origin}${sso.pathname}`).toBe('http://localhost:8080/saml/sso');
    const first = await step(jar, `${gatewayUrl}${sso.pathname}${sso.search}`);
    const end = await followSignIn(gatewayUrl, jar, first, { barcode: '29000000000001', pin: '1111' });
    expect(end.status).toBe(200);
    const form = readPostedForm(end.text);
    expect(form.action).toBe(`${spUrl}/acs`);
    const page = await fetch(form.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLResponse: form.SAMLResponse, ...(form.RelayState !== undefined ? { RelayState: form.RelayState } : {}) }).toString() });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('identity provider sent (the validated SAML assertion)');
    expect(html).toMatch(/urn:oasis:names:tc:SAML:attribute:pairwise-id<\/th><td><code>[a-z2-7]{32}@demo\.library\.example/);
    expect(html).toContain('member@demo.library.example');
    expect(html).toContain('18+');
    expect(html).not.toContain('ada.demo@example.org');
    expect(html).not.toContain('Demo-Patron');
  });
});
