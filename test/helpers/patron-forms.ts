/** A patron's browser against one gateway URL: the sign-in and sign-out forms, posted as a browser posts them. */
export interface PatronForms {
  /** Posts the sign-in form (fresh CSRF); `headers` are added (X-Forwarded-For). */
  signIn(barcode: string, pin: string, headers?: Record<string, string>): Promise<Response>;
  /** The Cookie header after a sign-in: its session cookie and the CSRF cookie (or '' when it set no session). */
  sessionOf(response: Response): string;
  /** Posts the sign-out form of the home page with `cookie`. */
  signOut(cookie: string): Promise<Response>;
}

export function createPatronForms(url: string): PatronForms {
  const csrfOf = new WeakMap<Response, string>();
  return {
    async signIn(barcode, pin, headers = {}) {
      const page = await fetch(`${url}/login?cleared=1`);
      const csrfCookie = (page.headers.getSetCookie().find((c) => c.startsWith('gw_csrf=')) ?? '').split(';')[0] ?? '';
      const token = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const response = await fetch(`${url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: csrfCookie, ...headers },
        body: new URLSearchParams({ barcode, pin, csrf: token, next: '/' }).toString(),
      });
      csrfOf.set(response, csrfCookie);
      return response;
    },
    sessionOf(response) {
      const session = (response.headers.getSetCookie().find((c) => c.startsWith('gw_session=') && !c.startsWith('gw_session=;')) ?? '').split(';')[0] ?? '';
      return session === '' ? '' : `${session}; ${csrfOf.get(response) ?? ''}`;
    },
    async signOut(cookie) {
      const home = await fetch(`${url}/`, { headers: { cookie } });
      const token = /name="csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? '';
      return fetch(`${url}/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: token }).toString(),
      });
    },
  };
}
