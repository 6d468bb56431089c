import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const ADULT = { patronId: 'p-s1', barcode: '24000000000001', birthDate: '1980-05-05', firstName: 'Philippa', lastName: 'Sessionova' };
let upstream: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: ADULT, pin: '1111' }],
    contracts: { ebooks: testContract('ebooks', upstream.url, 'identity: { delivery: none }') },
    loginAttemptsPerMinute: 1000,
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function loginForm(next?: string): Promise<{ csrfCookie: string; token: string; html: string }> {
  const page = await fetch(`${gateway.url}/login${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`);
  const html = await page.text();
  return {
    csrfCookie: (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '',
    token: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '',
    html,
  };
}

async function postLogin(fields: Record<string, string>, options: { csrfCookie: string; ip?: string }) {
  return fetch(`${gateway.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: options.csrfCookie },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('patron sessions', () => {
  it('a correct barcode and PIN give an encrypted, HttpOnly, SameSite session cookie and a 303 to next', async () => {
    const { csrfCookie, token } = await loginForm();
    const response = await postLogin({ barcode: ADULT.barcode, pin: '1111', csrf: token, next: '/v/ebooks/shelf?x=1' }, { csrfCookie });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/v/ebooks/shelf?x=1');
    const session = response.headers.getSetCookie().find((c) => c.startsWith('gw_session=')) ?? '';
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).toMatch(/; Max-Age=3600/);
    expect(session).not.toMatch(/Secure/); // the test gateway is on plain http
    const value = /gw_session=([^;]+)/.exec(session)?.[1] ?? '';
    expect(value.split('.')).toHaveLength(5); // JWE compact form
    const readable = value.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')).join(' ');
    for (const secret of [ADULT.patronId, ADULT.barcode, ADULT.firstName, ADULT.lastName]) expect(readable).not.toContain(secret);
  });

  it('says the same thing for an unknown barcode and a wrong PIN', async () => {
    const { csrfCookie, token } = await loginForm();
    const unknown = await postLogin({ barcode: '99999999999999', pin: '1111', csrf: token }, { csrfCookie });
    const wrong = await postLogin({ barcode: ADULT.barcode, pin: '9999', csrf: token }, { csrfCookie });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '');
    expect(strip(await unknown.text())).toBe(strip(await wrong.text()));
    expect(unknown.headers.getSetCookie().some((c) => c.startsWith('gw_session='))).toBe(false);
  });

  it('refuses a login without a valid CSRF token (403)', async () => {
    const { csrfCookie } = await loginForm();
    expect((await postLogin({ barcode: ADULT.barcode, pin: '1111' }, { csrfCookie })).status).toBe(403);
    expect((await postLogin({ barcode: ADULT.barcode, pin: '1111', csrf: 'forged' }, { csrfCookie })).status).toBe(403);
    expect((await postLogin({ barcode: ADULT.barcode, pin: '1111', csrf: 'x' }, { csrfCookie: '' })).status).toBe(403);
  });

  it.each([
    ['an absolute URL', 'https://evil.example/steal'],
    ['a protocol-relative URL', '//evil.example/steal'],
    ['a backslash trick', '/\\evil.example'],
    ['an encoded protocol-relative URL', '/%2F%2Fevil.example'],
    ['a double-encoded one', '%2F%2Fevil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a tab-smuggled URL', '/\t/evil.example'],
    ['a relative path without a slash', 'evil.example'],
  ])('never redirects outside the gateway: %s', async (_name, next) => {
    const { csrfCookie, token, html } = await loginForm(next);
    expect(html).toContain('name="next" value="/"');
    const response = await postLogin({ barcode: ADULT.barcode, pin: '1111', csrf: token, next }, { csrfCookie });
    expect(response.headers.get('location')).toBe('/');
  });

  it('a signed-in patron reaches the vendor, and signing out ends it', async () => {
    const cookie = await gateway.login(ADULT.barcode, '1111');
    expect((await fetch(`${gateway.url}/v/ebooks/`, { headers: { cookie } })).status).toBe(200);
    const { token, csrfCookie } = await loginForm();
    const sessionCookie = /gw_session=[^;]+/.exec(cookie)?.[0] ?? '';
    const forged = await fetch(`${gateway.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: sessionCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${token}` });
    expect(forged.status).toBe(403);
    const out = await fetch(`${gateway.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: `${sessionCookie}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${token}` });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().find((c) => c.startsWith('gw_session='))).toMatch(/^gw_session=; .*Max-Age=0/);
  });

  it('rate limits failed sign-ins with 429 and Retry-After; even the right PIN waits until the card\'s 15-minute window passes', async () => {
    const strict = await startGateway({ patrons: [{ record: ADULT, pin: '1111' }], contracts: { ebooks: testContract('ebooks', upstream.url, 'identity: { delivery: none }') }, loginAttemptsPerMinute: 5 });
    const main = gateway;
    gateway = strict;
    try {
    const { csrfCookie, token } = await loginForm();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const response = await postLogin({ barcode: ADULT.barcode, pin: '0000', csrf: token }, { csrfCookie });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Even the right PIN waits until the window passes.
    expect((await postLogin({ barcode: ADULT.barcode, pin: '1111', csrf: token }, { csrfCookie })).status).toBe(429);
    gateway.clock.now = new Date(gateway.clock.now.getTime() + 15 * 60_000 + 1000);
    expect((await postLogin({ barcode: ADULT.barcode, pin: '1111', csrf: token }, { csrfCookie })).status).toBe(303);
    } finally {
      gateway = main;
      await strict.close();
    }
  });

  it('serves health, readiness and the JWKS', async () => {
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).toEqual({ status: 'ready', vendors: 1, state: { store: 'memory', up: true } });
    expect(((await (await fetch(`${gateway.url}/.well-known/jwks.json`)).json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });

  it('the gateway pages carry a strict CSP and no-store', async () => {
    const response = await fetch(`${gateway.url}/login`);
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
