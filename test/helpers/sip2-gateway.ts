/** A gateway whose patrons come from a fake ILS over SIP2, and a sign-in form poster. */
import { startFakeIls, type FakeIls, type FakeIlsOptions } from './fake-ils.ts';
import { startGateway, testContract, type Harness } from './gateway-harness.ts';

export const SIP_USER = 'gw-sip-account';
export const SIP_PASSWORD = 'gw-sip-secret-3141';

export interface Sip2Gateway {
  readonly gateway: Harness;
  readonly ils: FakeIls;
  close(): Promise<void>;
}

/** The fake ILS plus a gateway with `patrons.source: sip2` pointing at it; `sip2` overrides settings keys. */
export async function startSip2Gateway(options: { ils?: FakeIlsOptions; sip2?: Record<string, unknown>; loginAttemptsPerMinute?: number } = {}): Promise<Sip2Gateway> {
  const ils = await startFakeIls({ login: { user: SIP_USER, password: SIP_PASSWORD }, ...options.ils });
  const gateway = await startGateway({
    patrons: [],
    contracts: { ebooks: testContract('ebooks', 'http://127.0.0.1:9', 'identity: { delivery: none }') },
    patronSettings: {
      source: 'sip2',
      sip2: {
        host: '127.0.0.1',
        port: ils.port,
        user: { env: 'TEST_SIP2_USER' },
        password: { env: 'TEST_SIP2_PASSWORD' },
        location: 'gateway',
        institution: 'UWOLS',
        timeoutMs: 1000,
        pool: 2,
        dialect: { nameFormat: 'first last', birthDate: 'PB', patronType: 'PC', homeBranch: 'AQ' },
        ...options.sip2,
      },
    },
    env: { TEST_SIP2_USER: SIP_USER, TEST_SIP2_PASSWORD: SIP_PASSWORD },
    ...(options.loginAttemptsPerMinute !== undefined ? { loginAttemptsPerMinute: options.loginAttemptsPerMinute } : {}),
  });
  return {
    gateway,
    ils,
    async close() {
      await gateway.close();
      await ils.close();
    },
  };
}

/** GETs the sign-in form and POSTs a barcode and PIN; the response is not followed. */
export async function postSignIn(url: string, barcode: string, pin: string, headers: Record<string, string> = {}): Promise<Response> {
  const page = await fetch(`${url}/login?cleared=1`);
  const html = await page.text();
  const csrfCookie = (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '';
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie, ...headers },
    body: new URLSearchParams({ barcode, pin, csrf: token, next: '/' }).toString(),
  });
}

/** The session cookie a sign-in response sets, if any. */
export function readSessionCookie(response: Response): string | undefined {
  return response.headers.getSetCookie().find((cookie) => cookie.startsWith('gw_session=') && !cookie.startsWith('gw_session=;'));
}
