import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import * as client from 'openid-client';
import { SignJWT } from 'jose';
import { createTestBrowser, walkSignIn, type TestBrowser } from '../helpers/oidc-relying-party.ts';
import { COURSES_CALLBACK, COURSES_CLIENT, COURSES_SECRET, OIDC_PATRONS } from '../helpers/oidc-gateway.ts';

/**
 * The OpenID Connect benchmark (BENCH_ONLY=oidc): ID tokens issued per second for patrons already
 * signed in (sign-in and notice done once, before timing), each token a full code flow as a
 * browser and a vendor make it: the authorization request, the gateway's interaction (session,
 * minors, notice, release), the resume, the code at the token endpoint (client secret, PKCE, the
 * ID token signed). The gateway runs in its own process; its CPU per token is set beside its CPU
 * for the same number of trivial requests (/healthz) in the same run, and beside one ES256
 * signature of the same ID token, for the share of time spent signing. The latency of the
 * authorization endpoint (the first answer, and the whole browser leg to the code) is reported at
 * p50 and p99.
 */
const TOKENS = Number(process.env['BENCH_OIDC_TOKENS'] ?? 2000);
const CONCURRENCY = Number(process.env['BENCH_OIDC_CONCURRENCY'] ?? 8);
const HOPS_PER_TOKEN = 4; // auth, interaction, resume, token

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['test/bench/oidc-bench-server.ts'], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /READY (\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`the OIDC bench server exited ${code}`)));
  });
}

function serverCpu(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (message: { cpuMicros: number }) => resolve(message.cpuMicros));
    child.send('cpu');
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** One token for a signed-in browser: the authorization leg timed, the code redeemed. */
async function issueToken(base: string, browser: TestBrowser, authorization: { first: number[]; leg: number[] }): Promise<void> {
  const verifier = client.randomPKCECodeVerifier();
  const query = new URLSearchParams({ client_id: COURSES_CLIENT, response_type: 'code', scope: 'openid', redirect_uri: COURSES_CALLBACK, state: client.randomState(), nonce: client.randomNonce(), code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const started = performance.now();
  let response = await browser.get(`${base}/oidc/auth?${query}`);
  authorization.first.push(performance.now() - started);
  let location = response.headers.get('location') ?? '';
  while (!location.startsWith(COURSES_CALLBACK)) {
    if (response.status !== 303) throw new Error(`the authorization leg stopped with ${response.status}`);
    response = await browser.get(location);
    location = response.headers.get('location') ?? '';
  }
  authorization.leg.push(performance.now() - started);
  const code = new URL(location).searchParams.get('code') ?? '';
  const token = await fetch(`${base}/oidc/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${COURSES_CLIENT}:${COURSES_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: COURSES_CALLBACK, code_verifier: verifier }).toString(),
  });
  const body = (await token.json()) as { id_token?: string };
  if (!body.id_token) throw new Error(`no ID token (${token.status})`);
}

/** CPU µs of one ES256 signature of an ID token like the gateway's (best of 5 rounds of 2000). */
async function measureSigning(): Promise<number> {
  const key = createPrivateKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const claims = { sub: 'g6aj24xvkojeghwn7pa55goo4reessyv', given_name: 'Ada', email: 'ada@example.org', address: { locality: 'Westport' }, postalCode3: '068', ageBand: '18-64', nonce: 'aaHCXe-NjBf7a6l6gDYdb5s2rBuzZzjylwDU5qf-P6E' };
  const sign = () => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k' }).setIssuer('http://127.0.0.1/oidc').setAudience(COURSES_CLIENT).setIssuedAt().setExpirationTime('5m').sign(key);
  for (let i = 0; i < 500; i++) await sign();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < 2000; i++) await sign();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 2000);
  }
  return best;
}

async function runConcurrently(count: number, task: (worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_unused, worker) => {
    while (next < count) {
      next++;
      await task(worker);
    }
  }));
}

export async function benchOidc(): Promise<void> {
  const { child, url } = await startServer();
  try {
    // One browser per worker, each signed in once (card, PIN, notice): the sign-in is not timed.
    const browsers: TestBrowser[] = [];
    for (let worker = 0; worker < CONCURRENCY; worker++) {
      const browser = createTestBrowser(url);
      const verifier = client.randomPKCECodeVerifier();
      const query = new URLSearchParams({ client_id: COURSES_CLIENT, response_type: 'code', scope: 'openid', redirect_uri: COURSES_CALLBACK, state: 's', nonce: 'n', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      await walkSignIn(browser, `${url}/oidc/auth?${query}`, { barcode: OIDC_PATRONS[0].record.barcode, pin: OIDC_PATRONS[0].pin }, { consents: ['share-email-with-vendors'] });
      browsers.push(browser);
    }
    const warm = { first: [] as number[], leg: [] as number[] };
    await runConcurrently(200, (worker) => issueToken(url, browsers[worker] as TestBrowser, warm));

    // Baseline: the same number of HTTP exchanges, each a trivial answer (/healthz).
    const baselineCpu = await serverCpu(child);
    const baselineStarted = performance.now();
    await runConcurrently(TOKENS, async () => {
      for (let hop = 0; hop < HOPS_PER_TOKEN; hop++) await (await fetch(`${url}/healthz`)).arrayBuffer();
    });
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    const baselineMicros = ((await serverCpu(child)) - baselineCpu) / TOKENS;

    const timings = { first: [] as number[], leg: [] as number[] };
    const cpuBefore = await serverCpu(child);
    const started = performance.now();
    await runConcurrently(TOKENS, (worker) => issueToken(url, browsers[worker] as TestBrowser, timings));
    const seconds = (performance.now() - started) / 1000;
    const tokenMicros = ((await serverCpu(child)) - cpuBefore) / TOKENS;
    const signMicros = await measureSigning();

    console.log(`OpenID Connect provider: ${TOKENS} ID tokens for signed-in patrons, ${CONCURRENCY} at a time (sign-in excluded)`);
    console.log(`  ID tokens per second          ${(TOKENS / seconds).toFixed(0)}  (wall clock, client and gateway sharing the machine)`);
    console.log(`  gateway CPU per token         ${tokenMicros.toFixed(0)} µs  (auth + interaction + resume + token endpoint)`);
    console.log(`  baseline: ${HOPS_PER_TOKEN} x /healthz          ${baselineMicros.toFixed(0)} µs CPU, ${(TOKENS / baselineSeconds).toFixed(0)} per second`);
    console.log(`  ratio token / baseline        ${(tokenMicros / baselineMicros).toFixed(1)}x CPU`);
    console.log(`  one ES256 ID token signature  ${signMicros.toFixed(0)} µs CPU: ${((100 * signMicros) / tokenMicros).toFixed(1)}% of the gateway's CPU per token`);
    console.log(`  authorization endpoint        first answer p50 ${percentile(timings.first, 50).toFixed(2)} ms, p99 ${percentile(timings.first, 99).toFixed(2)} ms`);
    console.log(`  authorization leg to the code p50 ${percentile(timings.leg, 50).toFixed(2)} ms, p99 ${percentile(timings.leg, 99).toFixed(2)} ms (3 answers: auth, interaction, resume)`);
  } finally {
    child.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOidc();
