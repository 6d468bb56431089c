import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCookieBrowser, type CookieBrowser } from '../helpers/cookie-browser.ts';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';
import { startLibraryProvider, type LibraryProvider } from '../helpers/library-oidc-provider.ts';
import { signInAtProvider } from '../helpers/sso-journey.ts';

const STAFF = { sub: 'staff-canary-sub-901', claims: { given_name: 'Staffcanary', groups: ['readers', 'library-staff'], patron_type: 'adult' } };
const READER = { sub: 'reader-canary-sub-902', claims: { given_name: 'Readercanary', groups: ['readers'], patron_type: 'adult' } };
const PATRON_SECRET = 'staff-test-patron-client-secret-0001';
const STAFF_SECRET = 'staff-test-staff-client-secret-00002';
const STAFF_CLAIM = { claim: 'groups', values: ['library-staff'] };
const CONTRACTS = { 'c-none': testContract('c-none', 'http://127.0.0.1:9', 'identity: { delivery: none }\npreset: anonymous') };
const CARD_PATRON = { record: { patronId: 'card-1', barcode: '29000000000077', patronType: 'adult' }, pin: '4321' };

let provider: LibraryProvider;
/** Patrons sign in at the provider; its staff claim opens /staff. */
let ssoGateway: Harness;
/** Patrons use cards; staff sign in at the provider with a client of their own (admin.sso). */
let cardGateway: Harness;

beforeAll(async () => {
  provider = await startLibraryProvider([STAFF, READER]);
  const client = { name: 'Staff Test Library', issuer: provider.issuer, scopes: ['openid', 'library'] };
  ssoGateway = await startGateway({
    patrons: [],
    contracts: CONTRACTS,
    patronSettings: { source: 'oidc', oidc: { ...client, clientId: 'gateway-patrons', clientSecret: { env: 'PATRON_SECRET' }, claims: { firstName: 'given_name', patronType: 'patron_type' }, staffClaim: STAFF_CLAIM } },
    // Both clients on one gateway: a patron's flow must not finish a staff sign-in.
    settings: { admin: { staffPatronTypes: ['staff'], sso: { ...client, clientId: 'gateway-staff-2', clientSecret: { env: 'STAFF_SECRET' }, staffClaim: STAFF_CLAIM, timeoutMs: 5000 } } },
    env: { PATRON_SECRET, STAFF_SECRET },
  });
  cardGateway = await startGateway({
    patrons: [CARD_PATRON],
    contracts: CONTRACTS,
    settings: { admin: { staffPatronTypes: ['staff'], sso: { ...client, clientId: 'gateway-staff', clientSecret: { env: 'STAFF_SECRET' }, staffClaim: STAFF_CLAIM, timeoutMs: 5000 } } },
    env: { STAFF_SECRET },
  });
  provider.register({ clientId: 'gateway-patrons', clientSecret: PATRON_SECRET, redirectUris: [`${ssoGateway.url}/login/oidc/callback`] });
  provider.register({ clientId: 'gateway-staff', clientSecret: STAFF_SECRET, redirectUris: [`${cardGateway.url}/staff/login/oidc/callback`] });
  provider.register({ clientId: 'gateway-staff-2', clientSecret: STAFF_SECRET, redirectUris: [`${ssoGateway.url}/staff/login/oidc/callback`] });
});
afterAll(async () => {
  await ssoGateway?.close();
  await cardGateway?.close();
  await provider?.stop();
});

const csrfOf = (body: string): string => /name="csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';

describe('staff sign in to /staff through the library SSO (patrons.source: oidc, patrons.oidc.staffClaim)', () => {
  const cases = [
    { name: 'a person whose groups claim holds library-staff opens the staff console', account: STAFF, status: 200 },
    { name: 'a person without the staff claim is a patron, not staff: 403', account: READER, status: 403 },
  ];
  it.each(cases)('$name', async ({ account, status }) => {
    const browser = createCookieBrowser();
    const page = await signInAtProvider(browser, `${ssoGateway.url}/login/oidc?next=/staff`, account.sub);
    expect(page.url).toBe(`${ssoGateway.url}/staff`);
    expect(page.status).toBe(status);
    if (status === 403) expect(page.body).toContain('forbidden</small>');
    else expect(page.body).toContain('c-none');
    // Either way a patron session: the gateway's own pages work.
    expect((await browser.open(`${ssoGateway.url}/me/sharing`)).status).toBe(200);
    expect(ssoGateway.logs.filter((line) => line.includes('"code":"login_ok"')).at(-1)).toContain(`"kind":"${status === 200 ? 'sso-staff' : 'sso'}"`);
  });

  it("a patron's sign-in flow cannot finish a staff sign-in: sso_expired, no staff session", async () => {
    const browser = createCookieBrowser();
    const callback = await signInAtProvider(browser, `${ssoGateway.url}/login/oidc`, STAFF.sub, { stopBeforeCallback: true });
    const answer = new URL(callback.headers.get('location') ?? '');
    const page = await browser.open(`${ssoGateway.url}/staff/login/oidc/callback${answer.search}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('sso_expired</small>');
    expect(browser.cookies(ssoGateway.url).has('gw_staff')).toBe(false);
    expect(ssoGateway.logs.at(-1)).toMatch(/"code":"sso_expired".*"kind":"staff".*"reason":"no_flow"/);
  });
});

describe('staff sign in through the library SSO on a gateway whose patrons use cards (admin.sso)', () => {
  async function staffSignIn(sub: string): Promise<{ browser: CookieBrowser; status: number; url: string; body: string }> {
    const browser = createCookieBrowser();
    const page = await signInAtProvider(browser, `${cardGateway.url}/staff/login/oidc?next=/staff`, sub);
    return { browser, status: page.status, url: page.url, body: page.body };
  }

  it('/staff sends a browser to sign in, where the staff button is offered beside the card form (and only on the way to /staff)', async () => {
    const browser = createCookieBrowser();
    const page = await browser.open(`${cardGateway.url}/staff`);
    expect(page.url).toBe(`${cardGateway.url}/login?next=%2Fstaff&cleared=1`);
    expect(page.body).toContain('href="/staff/login/oidc?next=%2Fstaff"');
    expect(page.body).toContain('Staff: sign in with Staff Test Library');
    expect(page.body).toContain('name="pin"');
    const patronLogin = await browser.open(`${cardGateway.url}/login?next=/`);
    expect(patronLogin.body).not.toContain('/staff/login/oidc');
  });

  it.each([
    ['/staff/explain', '/staff/explain'],
    ['/staff?tab=1', '/staff?tab=1'],
    ['/me/sharing', '/staff'],
    ['/staffroom', '/staff'],
    ['/me/staff/explain', '/staff'],
    ['//evil.example/staff', '/staff'],
  ])('the staff sign-in asked to go to %s goes to %s (only inside /staff)', async (next, landed) => {
    const browser = createCookieBrowser();
    const page = await signInAtProvider(browser, `${cardGateway.url}/staff/login/oidc?next=${encodeURIComponent(next)}`, STAFF.sub);
    expect(page.url).toBe(`${cardGateway.url}${landed}`);
  });

  it('staff with the claim land on the console with a staff session of its own, which is not a patron session', async () => {
    const before = cardGateway.logs.length;
    const { browser, status, url } = await staffSignIn(STAFF.sub);
    expect(url).toBe(`${cardGateway.url}/staff`);
    expect(status).toBe(200);
    const staffCookie = browser.history.flatMap((page) => page.headers.getSetCookie()).find((cookie) => cookie.startsWith('gw_staff='));
    expect(staffCookie).toMatch(/^gw_staff=[^;]+; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/);
    const line = JSON.parse(cardGateway.logs.slice(before).find((entry) => entry.includes('staff login')) ?? '{}');
    expect(line).toMatchObject({ msg: 'staff login', code: 'login_ok', kind: 'sso-staff', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const cookies = browser.cookies(cardGateway.url);
    expect(cookies.get('gw_staff')).toBeDefined();
    expect(cookies.has('gw_session')).toBe(false);
    // Not signed in as a patron: the patron's pages ask for a card.
    const sharing = await browser.open(`${cardGateway.url}/me/sharing`, { follow: () => false });
    expect(sharing.status).toBe(303);
    // A staff session presented as a patron session opens nothing.
    const swapped = await fetch(`${cardGateway.url}/me/sharing`, { redirect: 'manual', headers: { accept: 'text/html', cookie: `gw_session=${cookies.get('gw_staff')}` } });
    expect(swapped.status).toBe(303);
  });

  it('someone without the staff claim gets the 403 page and no staff session', async () => {
    const { browser, status, body } = await staffSignIn(READER.sub);
    expect(status).toBe(403);
    expect(body).toContain('forbidden</small>');
    expect(browser.cookies(cardGateway.url).has('gw_staff')).toBe(false);
    const line = JSON.parse(cardGateway.logs.filter((entry) => entry.includes('no_staff_claim')).at(-1) ?? '{}');
    expect(line).toMatchObject({ msg: 'single sign-on refused', code: 'forbidden', reason: 'no_staff_claim', kind: 'staff', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('signing out ends the staff session: the old cookie opens nothing afterwards', async () => {
    const { browser } = await staffSignIn(STAFF.sub);
    const staffToken = browser.cookies(cardGateway.url).get('gw_staff') ?? '';
    const consolePage = await browser.open(`${cardGateway.url}/staff`);
    const out = await browser.post(`${cardGateway.url}/logout`, { csrf: csrfOf(consolePage.body) }, { follow: () => false });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().some((cookie) => /^gw_staff=; Max-Age=0/.test(cookie))).toBe(true);
    const reused = await fetch(`${cardGateway.url}/staff`, { redirect: 'manual', headers: { accept: 'text/html', cookie: `gw_staff=${staffToken}` } });
    expect(reused.status).toBe(303);
    expect(reused.headers.get('location')).toBe('/login?next=%2Fstaff');
  });

  it('card patrons still sign in with their card; a patron session is not staff', async () => {
    const cookie = await cardGateway.login(CARD_PATRON.record.barcode, CARD_PATRON.pin, { acceptNotices: false });
    expect((await fetch(`${cardGateway.url}/staff`, { headers: { cookie, accept: 'text/html' } })).status).toBe(403);
  });

  it('the patron SSO routes do not exist on a card gateway', async () => {
    expect((await fetch(`${cardGateway.url}/login/oidc`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${cardGateway.url}/login/oidc/callback?code=x&state=y`, { redirect: 'manual' })).status).toBe(404);
  });

  it('no claim or subject reached a log line', () => {
    const logs = [ssoGateway.logs, cardGateway.logs].flat().join('\n');
    for (const value of [STAFF.sub, READER.sub, 'Staffcanary', 'Readercanary', 'library-staff']) expect(logs).not.toContain(value);
  });
});
