import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TEST_ENV } from '../helpers/cli.ts';
import { copyShippedVendors, shiftContractDates } from '../helpers/contracts.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts src/main.ts as `npm start` would, on an ephemeral port. */
function startMain(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', ...env } });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const port = /listening on port (\d+)/.exec(out)?.[1];
      if (port) {
        clearInterval(timer);
        resolve({ child, url: `http://127.0.0.1:${port}`, output: () => out, exited });
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`main exited with ${code}: ${out}`));
    });
  });
}

/** Accepts a vendor's notice as a patron would, ticking the offered consents. */
async function acceptNotice(url: string, cookie: string, vendor: string): Promise<string> {
  const page = await fetch(`${url}/notices/${vendor}`, { headers: { cookie } });
  const html = await page.text();
  const csrf = (page.headers.getSetCookie().find((c) => /^(__Host-)?gw_csrf=/.test(c)) ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const body = new URLSearchParams({ csrf: token, decision: 'accept' });
  for (const m of html.matchAll(/name="consent" value="([^"]+)"/g)) body.append('consent', m[1] ?? '');
  const response = await fetch(`${url}/notices/${vendor}`, { method: 'POST', redirect: 'manual', headers: { cookie: `${cookie}; ${csrf}`, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
  return `${cookie}; ${(response.headers.getSetCookie().find((c) => /^(__Host-)?gw_notices=/.test(c)) ?? '').split(';')[0]}`;
}

async function login(url: string, barcode: string, pin: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  // On an https public URL the gateway's cookies are __Host- prefixed.
  const csrfCookie = (page.headers.getSetCookie().find((c) => /^(__Host-)?gw_csrf=/.test(c)) ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie }, body: new URLSearchParams({ barcode, pin, csrf: token }).toString() });
  const session = response.headers.getSetCookie().find((c) => /^(__Host-)?gw_session=/.test(c)); // __Host- on an https public URL
  return (session ?? '').split(';')[0] ?? '';
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-main-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the gateway process', () => {
  it('runs the embedded demo: a demo patron signs in and the demo vendor shows what it received', async () => {
    const settings = join(dir, 'demo.yaml');
    // The process runs on the wall clock: the shipped contracts are copied with dates around today.
    const vendors = await copyShippedVendors(ROOT, join(dir, 'shipped-vendors'), new Date());
    await writeFile(settings, `publicUrl: http://localhost:8080\nvendorsDir: ${vendors}\npatrons: { file: ${ROOT}/config/demo-patrons.yaml }\ndemo: true\nsaml: { scope: demo.library.example, signingKey: { file: ${ROOT}/config/demo-only-saml-idp.key }, certificate: { file: ${ROOT}/config/demo-only-saml-idp.crt } }\n`);
    const running = await startMain({ GATEWAY_CONFIG: settings });
    try {
      expect(running.output()).toMatch(/DEMO MODE: using development keys/);
      const cookie = await acceptNotice(running.url, await login(running.url, '29000000000001', '1111'), 'ebooks-demo');
      const response = await fetch(`${running.url}/v/ebooks-demo/`, { headers: { cookie, accept: 'application/json' } });
      expect(response.status).toBe(200);
      const seen = (await response.json()) as { assertion: Record<string, unknown>; headers: Record<string, string> };
      expect(seen.assertion).toMatchObject({ aud: 'ebooks-demo', email: 'ada.demo@example.org', ageBand: '18-64', postalCode3: '068' });
      expect(seen.headers['cookie']).toBeUndefined();
      const page = await fetch(`${running.url}/v/ebooks-demo/`, { headers: { cookie, accept: 'text/html' } });
      expect(await page.text()).toMatch(/demo vendor/);
    } finally {
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
    }
  });

  it('refuses demo mode under NODE_ENV=production, listing the problems, and exits 1', async () => {
    await expect(startMain({ NODE_ENV: 'production' })).rejects.toThrow(/exited with 1[\s\S]*demo: demo mode[\s\S]*refused when NODE_ENV=production[\s\S]*publicUrl: must be https/);
  });

  it('refuses to start on a broken contract, naming file and path', async () => {
    const vendors = join(dir, 'broken-vendors');
    await rm(vendors, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(vendors));
    await writeFile(join(vendors, 'x.yaml'), 'id: x\nname: X\nkind: econtent\npurpose: p\ncontract: { reference: r, effective: 2026-01-01, expires: 2027-01-01 }\nupstream: { url: "http://127.0.0.1:1", hosts: [127.0.0.1] }\nfields: { ssn: { action: pass } }\n');
    await expect(startMain({ GATEWAY_CONFIG: join(ROOT, 'test/fixtures/settings/gateway.test.yaml'), GATEWAY_VENDORS_DIR: vendors, ...TEST_ENV })).rejects.toThrow(/x.yaml: fields.ssn: "ssn" is a government id number, which is never releasable/);
  });

  describe('graceful shutdown', () => {
    let upstream: RecordingUpstream;
    beforeAll(async () => {
      upstream = await startRecordingUpstream();
      upstream.respond((_req, res) => setTimeout(() => res.end('slow answer'), 700));
    });
    afterAll(async () => upstream.close());

    it('on SIGTERM, a request in flight still completes, then the process exits 0', async () => {
      const vendors = join(dir, 'slow-vendors');
      await import('node:fs/promises').then((fs) => fs.mkdir(vendors, { recursive: true }));
      await writeFile(join(vendors, 'slow.yaml'), shiftContractDates(`id: slow\nname: Slow\nkind: database\npurpose: p\ncontract: { reference: r, effective: 2026-01-01, expires: 2027-12-31 }\nupstream: { url: "${upstream.url}", hosts: [127.0.0.1] }\nidentity: { delivery: none }\n`, new Date()));
      const running = await startMain({ GATEWAY_CONFIG: join(ROOT, 'test/fixtures/settings/gateway.test.yaml'), GATEWAY_VENDORS_DIR: vendors, ...TEST_ENV });
      const cookie = await acceptNotice(running.url, await login(running.url, '29000000000002', '2222'), 'slow');
      const inFlight = fetch(`${running.url}/v/slow/x`, { headers: { cookie } }).then(async (r) => ({ status: r.status, text: await r.text() }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      running.child.kill('SIGTERM');
      expect(await inFlight).toEqual({ status: 200, text: 'slow answer' });
      expect(await running.exited).toBe(0);
    });
  });
});
