import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TEST_ENV } from '../helpers/cli.ts';
import { shiftContractDates } from '../helpers/contracts.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { getOnFreshConnection } from '../helpers/slow-peers.ts';
import { waitUntil } from '../helpers/wait-until.ts';

// SIGTERM to a real gateway process (src/main.ts) while a slow vendor holds a request in flight.
// The vendor answers only when the test releases it, so every assertion is about order, not time.

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  readonly exited: Promise<number | null>;
}

function startMain(settingsFile: string): Promise<Running> {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', GATEWAY_CONFIG: settingsFile, ...TEST_ENV } });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const port = /listening on port (\d+)/.exec(out)?.[1];
      if (!port) return;
      clearInterval(poll);
      resolve({ child, url: `http://127.0.0.1:${port}`, output: () => out, exited });
    }, 25);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`main exited with ${code}: ${out}`));
    });
  });
}

/** Signs a demo patron in and accepts the slow vendor's notice: the Cookie header to send. */
async function signInAndAccept(url: string): Promise<string> {
  const page = await fetch(`${url}/login?cleared=1`);
  const csrf = (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const signedIn = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf }, body: new URLSearchParams({ barcode: '29000000000002', pin: '2222', csrf: token, next: '/' }).toString() });
  const cookie = `${(signedIn.headers.getSetCookie().find((c) => c.startsWith('gw_session=')) ?? '').split(';')[0]}; ${csrf}`;
  const notice = await fetch(`${url}/notices/slow`, { headers: { cookie } });
  const noticeToken = /name="csrf" value="([^"]+)"/.exec(await notice.text())?.[1] ?? '';
  const accepted = await fetch(`${url}/notices/slow`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: noticeToken, decision: 'accept' }).toString() });
  return `${cookie}; ${(accepted.headers.getSetCookie().find((c) => c.startsWith('gw_notices=')) ?? '').split(';')[0]}`;
}

function connectionRefused(url: string): Promise<boolean> {
  return getOnFreshConnection(`${url}/healthz`).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
  );
}

let dir: string;
let vendor: RecordingUpstream;
const held: ServerResponse[] = [];

async function writeSettings(name: string, limits: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    `publicUrl: http://127.0.0.1:8080\nvendorsDir: vendors\npatrons: { file: ${ROOT}/config/demo-patrons.yaml }\ndemo: false\n` +
      'secrets:\n  pseudonymSecret: { env: TEST_PSEUDONYM_SECRET }\n  sessionKey: { env: TEST_SESSION_KEY }\n  assertionKeys:\n    - { kid: test-1, alg: ES256, privateKey: { env: TEST_ASSERTION_KEY } }\n' +
      `limits: ${limits}\n`,
  );
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-shutdown-'));
  vendor = await startRecordingUpstream();
  // The vendor holds every answer until the test releases it.
  vendor.respond((_req, res) => void held.push(res));
  await mkdir(join(dir, 'vendors'));
  await writeFile(
    join(dir, 'vendors', 'slow.yaml'),
    shiftContractDates(`id: slow\nname: Slow\nkind: database\npurpose: p\ncontract: { reference: r, effective: 2026-01-01, expires: 2027-12-31 }\nupstream: { url: "${vendor.url}", hosts: [127.0.0.1], timeoutMs: 60000 }\nidentity: { delivery: none }\n`, new Date()),
  );
});
afterAll(async () => {
  for (const res of held) res.destroy();
  await vendor.close();
  await rm(dir, { recursive: true, force: true });
});

describe('graceful shutdown under load', () => {
  it('SIGTERM: /readyz turns 503 at once while /healthz stays 200; after shutdownDelayMs new connections are refused; the request in flight still completes; then the process exits 0', async () => {
    // A long drain delay: the test moves on by what it observes, never by waiting it out.
    const running = await startMain(await writeSettings('drain', '{ shutdownDelayMs: 3000, shutdownTimeoutMs: 60000 }'));
    try {
      const cookie = await signInAndAccept(running.url);
      expect((await getOnFreshConnection(`${running.url}/readyz`)).status).toBe(200);
      const inFlight = fetch(`${running.url}/v/slow/item`, { headers: { cookie } }).then(async (r) => ({ status: r.status, text: await r.text() }));
      await waitUntil(() => held.length === 1, 'the vendor holds the request');
      running.child.kill('SIGTERM');
      // Not ready at once (the load balancer stops sending here), still alive, and telling keep-alive clients to go.
      await waitUntil(async () => (await getOnFreshConnection(`${running.url}/readyz`)).status === 503, '/readyz answers 503');
      const readyz = await getOnFreshConnection(`${running.url}/readyz`);
      expect(JSON.parse(readyz.body)).toMatchObject({ status: 'stopping' });
      const healthz = await getOnFreshConnection(`${running.url}/healthz`);
      expect(healthz.status).toBe(200);
      expect(healthz.headers['connection']).toBe('close');
      // After the delay the listener closes: new connections are refused, though a request is still in flight.
      await waitUntil(() => /listener closed/.test(running.output()), 'the listener closes', 20_000);
      expect(await connectionRefused(running.url)).toBe(true);
      expect(running.child.exitCode).toBeNull();
      // The vendor answers: the patron gets the whole answer, and only then does the process exit, with 0.
      held[0]?.end('the slow answer');
      expect(await inFlight).toEqual({ status: 200, text: 'the slow answer' });
      expect(await running.exited).toBe(0);
      expect(running.output()).toMatch(/"msg":"stopped"/);
      expect(running.output()).not.toMatch(/requests still in flight were cut/);
    } finally {
      running.child.kill('SIGKILL');
    }
  });

  it('a request still in flight after shutdownTimeoutMs is cut and the process exits 0 all the same (the bound holds)', async () => {
    held.length = 0;
    const running = await startMain(await writeSettings('bound', '{ shutdownDelayMs: 0, shutdownTimeoutMs: 300 }'));
    try {
      const cookie = await signInAndAccept(running.url);
      const inFlight = fetch(`${running.url}/v/slow/item`, { headers: { cookie } }).then(
        async (r) => `answered ${r.status}: ${await r.text()}`,
        () => 'cut',
      );
      await waitUntil(() => held.length === 1, 'the vendor holds the request');
      running.child.kill('SIGTERM');
      expect(await running.exited).toBe(0);
      expect(await inFlight).toBe('cut');
      expect(running.output()).toMatch(/requests still in flight were cut/);
    } finally {
      running.child.kill('SIGKILL');
    }
  });
});
