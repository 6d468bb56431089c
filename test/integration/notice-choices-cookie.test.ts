import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PINS, loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';

// README, Notices: acknowledgements and consents live in the patron's browser, in an encrypted
// HttpOnly cookie bound to the patron and the notice version; /me/sharing withdraws an
// acknowledgement (the notice comes back, nothing is sent) or one optional field (it stops leaving).
const ADA = '29000000000001';
const ADA_RECORD = { patronId: 'p-0001', email: 'ada.demo@example.org' };
let upstream: RecordingUpstream;
let gateway: Harness;
beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: loadDemoContracts(upstream.url) });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const signIn = () => gateway.login(ADA, DEMO_PINS[ADA] ?? '', { acceptNotices: false });

/** Every way a value could sit readable in a cookie: as is, URL-encoded, base64 and base64url. */
function readableForms(value: string): string[] {
  const bytes = Buffer.from(value);
  return [value, encodeURIComponent(value), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')];
}

async function csrfFor(cookie: string, path: string): Promise<string> {
  return /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${gateway.url}${path}`, { headers: { cookie } })).text())?.[1] ?? '';
}

function withNotices(cookie: string, response: Response): string {
  const notices = response.headers.getSetCookie().find((c) => c.startsWith('gw_notices='))?.split(';')[0];
  return notices ? [...cookie.split('; ').filter((c) => !c.startsWith('gw_notices=')), notices].join('; ') : cookie;
}

async function revoke(cookie: string, fields: Record<string, string>): Promise<string> {
  const csrf = await csrfFor(cookie, '/me/sharing');
  const response = await fetch(`${gateway.url}/me/sharing/revoke`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf, vendor: 'ebooks-demo', ...fields }).toString() });
  expect(response.status).toBe(303);
  return withNotices(cookie, response);
}

describe('the patron\'s notice choices', () => {
  it('are kept in an HttpOnly, SameSite cookie whose value reveals neither the patron, the vendor, the version nor the consents', async () => {
    const cookie = await signIn();
    const token = await csrfFor(cookie, '/notices/ebooks-demo');
    const response = await fetch(`${gateway.url}/notices/ebooks-demo`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: token, decision: 'accept', consent: 'share-email-with-vendors', next: '/v/ebooks-demo/' }).toString(),
    });
    expect(response.status).toBe(303);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('gw_notices=')) ?? '';
    expect(setCookie).toMatch(/; HttpOnly/i);
    expect(setCookie).toMatch(/; SameSite=(Lax|Strict)/i);
    const value = /^gw_notices=([^;]*)/.exec(setCookie)?.[1] ?? '';
    expect(value.length).toBeGreaterThan(20);
    const version = gateway.contracts.get('ebooks-demo')?.noticeVersion ?? 'missing';
    for (const secret of [ADA_RECORD.patronId, ADA, ADA_RECORD.email, 'ebooks-demo', 'share-email-with-vendors', version, '"consents"']) {
      for (const form of readableForms(secret)) expect(value, `${secret} readable in the cookie`).not.toContain(form);
    }
  });

  it('withdrawing a consent stops that field leaving on the very next request', async () => {
    let cookie = await gateway.acceptNotice(await signIn(), 'ebooks-demo', ['share-email-with-vendors']);
    let before = upstream.requests.length;
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(200);
    expect(decodeJwt(String(upstream.requests[before]?.headers['authorization']).slice(7))['email']).toBe(ADA_RECORD.email);

    cookie = await revoke(cookie, { what: 'consent', consent: 'share-email-with-vendors' });
    before = upstream.requests.length;
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(200);
    const sent = upstream.requests[before];
    expect(decodeJwt(String(sent?.headers['authorization']).slice(7))['email']).toBeUndefined();
    expect(JSON.stringify(sent)).not.toContain(ADA_RECORD.email);
  });

  it('withdrawing the acknowledgement brings the notice back before anything is sent', async () => {
    let cookie = await gateway.acceptNotice(await signIn(), 'ebooks-demo', []);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(200);
    cookie = await revoke(cookie, { what: 'acknowledgement' });
    const before = upstream.requests.length;
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(428);
    expect(upstream.requests.length).toBe(before);
  });

  it('a withdrawal without the CSRF token changes nothing (403)', async () => {
    const cookie = await gateway.acceptNotice(await signIn(), 'ebooks-demo', ['share-email-with-vendors']);
    const response = await fetch(`${gateway.url}/me/sharing/revoke`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'vendor=ebooks-demo&what=acknowledgement' });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().some((c) => c.startsWith('gw_notices='))).toBe(false);
    expect((await fetch(`${gateway.url}/v/ebooks-demo/`, { headers: { cookie } })).status).toBe(200);
  });
});
