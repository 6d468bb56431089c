import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, vendorCookieTag, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

const ADULT = { patronId: 'p-r1', barcode: '26000000000001', birthDate: '1980-05-05' };
const CHILD = { patronId: 'p-r2', barcode: '26000000000002', birthDate: '2016-01-01', parentalConsent: false };
let alpha: RecordingUpstream;
let beta: RecordingUpstream;
let gateway: Harness;
let cookie: string;

beforeAll(async () => {
  alpha = await startRecordingUpstream();
  beta = await startRecordingUpstream();
  alpha.respond((req, res) => {
    if (req.url === '/login') {
      res.writeHead(302, { Location: `${alpha.url}/welcome?x=1`, 'Set-Cookie': ['sid=alpha-secret; Domain=127.0.0.1; Path=/; Secure; SameSite=None', 'pref=dark; Max-Age=600'] });
      res.end();
      return;
    }
    if (req.url === '/elsewhere') {
      res.writeHead(302, { Location: 'https://idp.example/sso?return=1' });
      res.end();
      return;
    }
    if (req.url === '/page') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-security-policy': "default-src 'self'", 'clear-site-data': '"cookies"' });
      res.end('<script>document.cookie</script>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  gateway = await startGateway({
    patrons: [{ record: ADULT, pin: '1111' }, { record: CHILD, pin: '2222' }],
    contracts: {
      alpha: testContract('alpha', alpha.url, 'identity: { delivery: none }\nminors: { under13: anonymous }'),
      beta: testContract('beta', beta.url, 'identity: { delivery: none }\nminors: { under13: block }'),
      gamma: testContract('gamma', beta.url, 'identity: { delivery: jwt }\npreset: pseudonymous\nminors: { under13: parental-consent }'),
    },
  });
  cookie = await gateway.login(ADULT.barcode, '1111');
});
afterAll(async () => {
  await gateway.close();
  await alpha.close();
  await beta.close();
});

describe('response filter', () => {
  it("rescopes a vendor's cookies to its own path under its own mark, and rewrites its redirects into the gateway", async () => {
    const response = await fetch(`${gateway.url}/v/alpha/login`, { headers: { cookie }, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/v/alpha/welcome?x=1');
    expect(response.headers.getSetCookie()).toEqual([
      `vc.alpha.sid=${vendorCookieTag(ADULT.patronId, 'alpha')}.alpha-secret; Path=/v/alpha/; HttpOnly; SameSite=Lax`,
      `vc.alpha.pref=${vendorCookieTag(ADULT.patronId, 'alpha')}.dark; Max-Age=600; Path=/v/alpha/; HttpOnly; SameSite=Lax`,
    ]);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it("sends each vendor only its own cookies, unmarked, and no one else's", async () => {
    const tagA = vendorCookieTag(ADULT.patronId, 'alpha');
    const jar = `${cookie}; vc.alpha.sid=${tagA}.alpha-secret; vc.beta.b=${vendorCookieTag(ADULT.patronId, 'beta')}.beta-only; vc.alphabet.z=${tagA}.1; third=party`;
    const a = alpha.requests.length;
    const b = beta.requests.length;
    await fetch(`${gateway.url}/v/alpha/x`, { headers: { cookie: jar } });
    await fetch(`${gateway.url}/v/beta/x`, { headers: { cookie: jar } });
    expect(alpha.requests[a]?.headers.cookie).toBe('sid=alpha-secret');
    expect(beta.requests[b]?.headers.cookie).toBe('b=beta-only');
  });

  it('sends redirects to other sites to the leaving page, never raw, without following them', async () => {
    const response = await fetch(`${gateway.url}/v/alpha/elsewhere`, { headers: { cookie }, redirect: 'manual' });
    expect(response.headers.get('location')).toBe(`/leaving?to=${encodeURIComponent('https://idp.example/sso?return=1')}`);
  });

  it('sandboxes every vendor answer (no allow-same-origin), documents and JSON alike, and drops Clear-Site-Data', async () => {
    const response = await fetch(`${gateway.url}/v/alpha/page`, { headers: { cookie } });
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/sandbox allow-scripts allow-forms/);
    expect(csp).not.toContain('allow-same-origin');
    expect(response.headers.get('clear-site-data')).toBeNull();
    const json = await fetch(`${gateway.url}/v/alpha/data`, { headers: { cookie } });
    expect(json.headers.get('content-security-policy')).toMatch(/^sandbox allow-scripts allow-forms/);
  });
});

describe('minors gate', () => {
  let child: string;
  beforeAll(async () => {
    child = await gateway.login(CHILD.barcode, '2222');
  });

  it('blocks an under-13 on a block vendor with a page explaining why; nothing is sent', async () => {
    const before = beta.requests.length;
    const response = await fetch(`${gateway.url}/v/beta/`, { headers: { cookie: child, accept: 'text/html' } });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/not available to you/);
    expect(beta.requests.length).toBe(before);
  });

  it('blocks an under-13 without parental consent on a parental-consent vendor', async () => {
    const response = await fetch(`${gateway.url}/v/gamma/`, { headers: { cookie: child } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'parental_consent_required' });
  });

  it('lets an under-13 reach an anonymous vendor with no identity at all', async () => {
    const before = alpha.requests.length;
    const response = await fetch(`${gateway.url}/v/alpha/data`, { headers: { cookie: child } });
    expect(response.status).toBe(200);
    const headers = alpha.requests[before]?.headers ?? {};
    expect(Object.keys(headers).filter((h) => h.startsWith('x-patron') || h === 'authorization')).toEqual([]);
  });

  it('counts the blocked requests as blocked_minor', async () => {
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_requests_total\{vendor="beta",outcome="blocked_minor",channel="http"\} [1-9]/);
    expect(metrics).toMatch(/gateway_field_releases_total\{vendor="alpha",field="birthDate",action="withheld_minor",channel="http"\} [1-9]/);
  });
});
