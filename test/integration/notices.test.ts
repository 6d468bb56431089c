import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons, DEMO_PINS } from '../helpers/demo-fixtures.ts';
import { createTestKeys } from '../helpers/contracts.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { minimize } from '../../src/minimize/minimize.ts';
import type { Patron } from '../../src/policy/patron.ts';

let upstream: RecordingUpstream;
let gateway: Harness;
const keys = createTestKeys();
const patrons = loadDemoPatrons();
const ADA = '29000000000001';
const BEN = '29000000000002';

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons,
    contracts: {
      ...loadDemoContracts(upstream.url),
      'old-vendor': testContract('old-vendor', upstream.url, 'identity: { delivery: none }').replace('expires: 2027-12-31', 'expires: 2026-10-31'),
    },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const signIn = (barcode: string) => gateway.login(barcode, DEMO_PINS[barcode] ?? '', { acceptNotices: false });

/** Reads the facts a notice page states: released items, optional items, withheld fields. */
function readNotice(html: string) {
  const released = [...html.matchAll(/<li data-field="([^"]+)" data-as="([^"]+)" data-value="([^"]*)"/g)].map((m) => ({ field: m[1], as: m[2], value: m[3] }));
  const optional = [...html.matchAll(/name="consent" value="([^"]+)" aria-describedby="optional-help" data-field="([^"]+)" data-as="([^"]+)" data-value="([^"]*)"/g)].map((m) => ({ consent: m[1], field: m[2], as: m[3], value: m[4] }));
  const withheld = [...html.matchAll(/data-withheld="([^"]+)"/g)].map((m) => m[1]);
  return { released, optional, withheld, nothing: html.includes('data-receives="nothing"') };
}

async function csrfFor(cookie: string, path: string): Promise<string> {
  return /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${gateway.url}${path}`, { headers: { cookie } })).text())?.[1] ?? '';
}

async function decide(cookie: string, vendor: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
  return fetch(`${gateway.url}/notices/${vendor}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
}

function withNotices(cookie: string, response: Response): string {
  const notices = response.headers.getSetCookie().find((c) => c.startsWith('gw_notices='))?.split(';')[0];
  return notices ? [...cookie.split('; ').filter((c) => !c.startsWith('gw_notices=')), notices].join('; ') : cookie;
}

describe('the notice gate', () => {
  it("sends a browser to the notice first, and tells an API client 428 with the notice's relative path", async () => {
    const cookie = await signIn(ADA);
    const before = upstream.requests.length;
    const browser = await fetch(`${gateway.url}/v/ebooks-demo/shelf?x=1`, { headers: { cookie, accept: 'text/html', referer: `${gateway.url}/privacy/vendors` }, redirect: 'manual' });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/notices/ebooks-demo?next=${encodeURIComponent('/v/ebooks-demo/shelf?x=1')}&back=${encodeURIComponent('/privacy/vendors')}`);
    const api = await fetch(`${gateway.url}/v/ebooks-demo/shelf`, { headers: { cookie } });
    expect(api.status).toBe(428);
    // A relative path: the body never echoes the gateway's host.
    expect(await api.json()).toEqual({ error: 'notice_required', message: 'Please read and accept the notice for this service first.', notice: '/notices/ebooks-demo' });
    expect(upstream.requests.length).toBe(before);
  });

  it.each([
    ['ebooks-demo', ADA, ['share-email-with-vendors']],
    ['ebooks-demo', ADA, []],
    ['ebooks-demo', BEN, []],
    ['ebooks-demo', '29000000000003', []],
    ['ebooks-demo', '29000000000008', ['share-email-with-vendors']],
    ['streaming-demo', ADA, []],
    ['streaming-demo', '29000000000005', []],
    ['streaming-demo', '29000000000008', []],
    ['research-db-demo', ADA, []],
    ['research-db-demo', '29000000000010', []],
  ])('the facts %s\'s notice states for patron %s equal the minimizer and what the vendor receives (consents %j)', async (vendor, barcode, consents) => {
    let cookie = await signIn(barcode);
    const page = await fetch(`${gateway.url}/notices/${vendor}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const stated = readNotice(await page.text());
    const record = patrons.find((p) => p.record['barcode'] === barcode)?.record as unknown as Patron;
    const contract = gateway.contracts.get(vendor);
    if (!contract) throw new Error('no contract');
    const expected = minimize({ ...record, consents }, contract, keys, gateway.clock.now);
    const statedView = Object.fromEntries([...stated.released, ...stated.optional.filter((o) => consents.includes(o.consent ?? ''))].map((r) => [r.as, r.value]));
    const actualView = Object.fromEntries(Object.entries(expected.view).map(([k, v]) => [k, String(v)]));
    expect(statedView).toEqual(actualView);
    if (expected.access !== 'identified') expect(stated.nothing).toBe(true);

    cookie = await gateway.acceptNotice(cookie, vendor, consents);
    const before = upstream.requests.length;
    expect((await fetch(`${gateway.url}/v/${vendor}/`, { headers: { cookie } })).status).toBe(200);
    const received = upstream.requests[before];
    const delivered: Record<string, string> = {};
    if (contract.identity.delivery === 'jwt' && expected.access === 'identified') {
      const claims = decodeJwt(String(received?.headers['authorization'] ?? '').slice(7));
      for (const key of Object.keys(actualView)) delivered[key] = String(key === 'sub' ? claims.sub : claims[key]);
    } else if (contract.identity.delivery === 'headers') {
      for (const key of Object.keys(actualView)) delivered[key] = String(received?.headers[(contract.identity.names[key] ?? '').toLowerCase()]);
      for (const name of Object.values(contract.identity.names)) if (!(Object.keys(actualView).some((k) => contract.identity.names[k] === name))) expect(received?.headers[name.toLowerCase()]).toBeUndefined();
    }
    expect(delivered).toEqual(contract.identity.delivery === 'none' ? {} : actualView);
    if (contract.identity.delivery === 'none' || expected.access !== 'identified') {
      expect(Object.keys(received?.headers ?? {}).filter((h) => h.startsWith('x-patron') || h === 'authorization')).toEqual([]);
    }
  });

  it('a consent ticked on the notice releases the field; left unticked, it is withheld', async () => {
    const ticked = await gateway.acceptNotice(await signIn(BEN), 'ebooks-demo', ['share-email-with-vendors']);
    const unticked = await gateway.acceptNotice(await signIn(ADA), 'ebooks-demo', []);
    const before = upstream.requests.length;
    await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie: ticked } });
    await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie: unticked } });
    const [benClaims, adaClaims] = upstream.requests.slice(before).map((r) => decodeJwt(String(r.headers['authorization']).slice(7)));
    expect(benClaims?.['email']).toBe('ben.sample@example.org');
    expect(adaClaims?.['email']).toBeUndefined();
  });

  it('declining sends nothing and returns the patron to where they came from', async () => {
    const cookie = await signIn(ADA);
    const token = await csrfFor(cookie, '/notices/streaming-demo');
    const before = upstream.requests.length;
    const response = await decide(cookie, 'streaming-demo', { csrf: token, decision: 'decline', back: '/privacy/vendors', next: '/v/streaming-demo/' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/privacy/vendors');
    expect(response.headers.getSetCookie().some((c) => c.startsWith('gw_notices='))).toBe(false);
    expect((await fetch(`${gateway.url}/v/streaming-demo/`, { headers: { cookie } })).status).toBe(428);
    expect(upstream.requests.length).toBe(before);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_notices_total\{vendor="streaming-demo",decision="declined",channel="http"\} [1-9]/);
  });

  it.each([
    ['no CSRF token', {}],
    ['a wrong CSRF token', { csrf: 'forged-token' }],
  ])('refuses a decision with %s (403)', async (_name, extra) => {
    const cookie = await signIn(ADA);
    const response = await decide(cookie, 'ebooks-demo', { decision: 'accept', ...extra });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('gw_notices='))).toBe(false);
  });

  it('never redirects outside the gateway after a decision', async () => {
    const cookie = await signIn(ADA);
    const token = await csrfFor(cookie, '/notices/ebooks-demo');
    for (const next of ['https://evil.example/', '//evil.example', '/%2F%2Fevil.example']) {
      expect((await decide(cookie, 'ebooks-demo', { csrf: token, decision: 'accept', next })).headers.get('location')).toBe('/');
      expect((await decide(cookie, 'ebooks-demo', { csrf: token, decision: 'decline', back: next })).headers.get('location')).toBe('/');
    }
  });

  it('a tampered acknowledgement cookie counts as none, and so does one made for another patron', async () => {
    const ada = await gateway.acceptNotice(await signIn(ADA), 'ebooks-demo', []);
    const value = /gw_notices=([^;]+)/.exec(ada)?.[1] ?? '';
    const parts = value.split('.');
    parts[3] = `${(parts[3] ?? '').slice(0, -2)}${(parts[3] ?? '').endsWith('AA') ? 'BB' : 'AA'}`;
    const tampered = ada.replace(value, parts.join('.'));
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie: tampered } })).status).toBe(428);
    const ben = await signIn(BEN);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie: `${ben}; gw_notices=${value}` } })).status).toBe(428);
  });

  it('asks again when the notice version changes (what is shared changed), not for cosmetic edits', async () => {
    const contracts = loadDemoContracts(upstream.url);
    const cosmetic = await startGateway({ patrons, contracts: { ...contracts, 'ebooks-demo': (contracts['ebooks-demo'] ?? '').replace('name: Demo E-books', 'name: Demo E-books Plus') } });
    const wider = await startGateway({ patrons, contracts: { ...contracts, 'ebooks-demo': (contracts['ebooks-demo'] ?? '').replace('minors:', '  homeBranch: { action: pass }\nminors:') } });
    try {
      const cookie = await gateway.acceptNotice(await signIn(ADA), 'ebooks-demo', []);
      expect((await fetch(`${cosmetic.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${wider.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(428);
    } finally {
      await cosmetic.close();
      await wider.close();
    }
  });

  it('an unknown vendor has no notice (404), and an expired contract shows a closed page (503)', async () => {
    const cookie = await signIn(ADA);
    expect((await fetch(`${gateway.url}/notices/nope`, { headers: { cookie } })).status).toBe(404);
    const expired = await fetch(`${gateway.url}/notices/old-vendor`, { headers: { cookie, accept: 'text/html' } });
    expect(expired.status).toBe(503);
    expect(await expired.text()).toMatch(/old-vendor display name[\s\S]*not in force/);
  });

  it('explains to a child why a vendor is closed to them, and what a parent can do', async () => {
    const dev = await signIn('29000000000004');
    const consentPage = await fetch(`${gateway.url}/notices/ebooks-demo`, { headers: { cookie: dev, accept: 'text/html' } });
    expect(consentPage.status).toBe(403);
    const text = await consentPage.text();
    expect(text).toMatch(/A parent or guardian needs to agree first/);
    expect(text).toMatch(/What a parent or guardian can do/);
    const blocked = await fetch(`${gateway.url}/v/streaming-demo/`, { headers: { cookie: await signIn('29000000000003'), accept: 'text/html' } });
    expect(blocked.status).toBe(403);
    expect(await blocked.text()).toMatch(/Demo Streaming is not available to library users of your age/);
  });
});

describe('transparency pages', () => {
  it('the public register lists every vendor, what it receives and how, in HTML and JSON', async () => {
    const html = await (await fetch(`${gateway.url}/privacy/vendors`)).text();
    expect(html).toMatch(/Demo E-books[\s\S]*a random ID used only with this service[\s\S]*your email address \(only if you agree \(Emails when a hold is ready\)\)/);
    expect(html).toMatch(/Demo Research Database[\s\S]*Nothing about you/);
    const json = (await (await fetch(`${gateway.url}/privacy/vendors.json`)).json()) as { vendors: Array<{ id: string; receives: unknown[]; inForce: boolean }> };
    expect(json.vendors.map((v) => v.id).sort()).toEqual(['ebooks-demo', 'old-vendor', 'research-db-demo', 'streaming-demo']);
    expect(json.vendors.find((v) => v.id === 'old-vendor')?.inForce).toBe(false);
    expect(json.vendors.find((v) => v.id === 'ebooks-demo')?.receives).toHaveLength(4);
  });

  it('/me/sharing shows the patron\'s values beside what each vendor gets, and revoking brings the notice back', async () => {
    let cookie = await gateway.acceptNotice(await signIn(ADA), 'ebooks-demo', ['share-email-with-vendors']);
    let html = await (await fetch(`${gateway.url}/me/sharing`, { headers: { cookie } })).text();
    expect(html).toMatch(/<section class="card" aria-labelledby="share-ebooks-demo" data-vendor="ebooks-demo">[\s\S]*?data-field="birthDate"><td>your date of birth: April 12, 1988<\/td><td data-gets="18-64">/);
    expect(html).toMatch(/data-field="email"><td>your email address: ada.demo@example.org<\/td><td data-gets="ada.demo@example.org">/);
    expect(html).toMatch(/data-vendor="ebooks-demo">[\s\S]*?data-ack="yes"/);
    const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const revokeConsent = await fetch(`${gateway.url}/me/sharing/revoke`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: token, vendor: 'ebooks-demo', what: 'consent', consent: 'share-email-with-vendors' }).toString() });
    cookie = withNotices(cookie, revokeConsent);
    html = await (await fetch(`${gateway.url}/me/sharing`, { headers: { cookie } })).text();
    expect(html).toMatch(/data-field="email"><td>your email address: ada.demo@example.org<\/td><td data-gets="">/);
    const revoke = await fetch(`${gateway.url}/me/sharing/revoke`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: token, vendor: 'ebooks-demo', what: 'acknowledgement' }).toString() });
    cookie = withNotices(cookie, revoke);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(428);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_notices_total\{vendor="ebooks-demo",decision="revoked",channel="http"\} 2/);
  });

  it('/me/sharing needs a signed-in patron', async () => {
    const response = await fetch(`${gateway.url}/me/sharing`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fme%2Fsharing');
  });
});

describe('languages', () => {
  it('follows the patron record, then Accept-Language, and the switch on every page wins', async () => {
    const hana = await signIn('29000000000008');
    expect(await (await fetch(`${gateway.url}/notices/ebooks-demo`, { headers: { cookie: hana } })).text()).toMatch(/<html lang="es">[\s\S]*Antes de usar Demo E-books/);
    expect(await (await fetch(`${gateway.url}/privacy/vendors`, { headers: { 'accept-language': 'es-MX,es;q=0.9' } })).text()).toMatch(/Con quién compartimos/);
    const ada = await signIn(ADA);
    expect(await (await fetch(`${gateway.url}/notices/ebooks-demo`, { headers: { cookie: ada } })).text()).toMatch(/<html lang="en">[\s\S]*Before you use Demo E-books[\s\S]*href="\/language\/es\?next=/);
    const switched = await fetch(`${gateway.url}/language/es?next=${encodeURIComponent('/notices/ebooks-demo')}`, { redirect: 'manual' });
    expect(switched.headers.get('location')).toBe('/notices/ebooks-demo');
    const lang = (switched.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    expect(await (await fetch(`${gateway.url}/notices/ebooks-demo`, { headers: { cookie: `${ada}; ${lang}` } })).text()).toMatch(/Antes de usar/);
    expect((await fetch(`${gateway.url}/language/xx`)).status).toBe(404);
  });
});
