import * as client from 'openid-client';

/**
 * A patron's browser for the OpenID Connect tests: follows nothing by itself (every hop is
 * visible), keeps cookies in a jar by name (the gateway is one host), and fills in the gateway's
 * real sign-in form and notice form as a patron would.
 */
export interface TestBrowser {
  get(url: string): Promise<Response>;
  /** Posts a form from the page at `pageUrl` (its CSRF token and hidden fields), with `fields` on top. */
  submit(pageUrl: string, action: string, fields: Record<string, string>, pick?: (html: string) => Record<string, string>): Promise<Response>;
  readonly jar: Map<string, string>;
}

export function createTestBrowser(base: string): TestBrowser {
  const jar = new Map<string, string>();
  const cookieHeader = (): string => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const keep = (response: Response): Response => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0\b/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  const absolute = (url: string): string => new URL(url, base).href;
  return {
    jar,
    async get(url) {
      return keep(await fetch(absolute(url), { redirect: 'manual', headers: { cookie: cookieHeader(), accept: 'text/html' } }));
    },
    async submit(pageUrl, action, fields, pick) {
      const page = keep(await fetch(absolute(pageUrl), { redirect: 'manual', headers: { cookie: cookieHeader(), accept: 'text/html' } }));
      const html = await page.text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="(next|back)" value="([^"]*)"/g)].map((m) => [m[1] ?? '', (m[2] ?? '').replaceAll('&amp;', '&')]));
      const body = new URLSearchParams({ csrf, ...hidden, ...(pick ? pick(html) : {}), ...fields });
      return keep(await fetch(absolute(action), { method: 'POST', redirect: 'manual', headers: { cookie: cookieHeader(), accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() }));
    },
  };
}

/** A relying party as a vendor would write it, on openid-client: discovery, PKCE, state and nonce. */
export interface TestRelyingParty {
  readonly config: client.Configuration;
  /** A fresh authorization request: its URL and the checks for the answer. */
  start(options?: { scope?: string; pkce?: boolean; extra?: Record<string, string>; redirectUri?: string }): Promise<{ url: URL; verifier: string; state: string; nonce: string }>;
  /** Redeems the code of the callback URL. */
  redeem(callback: string, started: { verifier: string; state: string; nonce: string }): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers>;
}

export async function discoverRelyingParty(issuer: string, clientId: string, auth: client.ClientAuth, redirectUri: string): Promise<TestRelyingParty> {
  const config = await client.discovery(new URL(issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
  return {
    config,
    async start(options = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const parameters: Record<string, string> = { redirect_uri: options.redirectUri ?? redirectUri, scope: options.scope ?? 'openid', state, nonce, ...options.extra };
      if (options.pkce !== false) Object.assign(parameters, { code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
      return { url: client.buildAuthorizationUrl(config, parameters), verifier, state, nonce };
    },
    async redeem(callback, started) {
      return client.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: started.verifier, expectedState: started.state, expectedNonce: started.nonce });
    },
  };
}

/**
 * Walks a patron through the whole sign-in from the authorization URL: the gateway's sign-in
 * form (card and PIN), the notice (accept or decline, ticking `consents`), until the gateway
 * sends the browser back to the vendor. Returns the last answer: a redirect to the vendor, or the
 * page the patron was stopped on.
 */
export async function walkSignIn(browser: TestBrowser, start: URL | string, patron: { barcode: string; pin: string }, options: { decision?: 'accept' | 'decline'; consents?: ReadonlyArray<string>; maxHops?: number } = {}): Promise<{ response: Response; hops: string[] }> {
  const hops: string[] = [];
  let response = await browser.get(start.toString());
  for (let hop = 0; hop < (options.maxHops ?? 12); hop++) {
    if (response.status !== 303 && response.status !== 302) return { response, hops };
    const location = response.headers.get('location') ?? '';
    hops.push(location);
    const target = new URL(location, start);
    if (target.origin !== new URL(start).origin) return { response, hops };
    if (target.pathname === '/login') {
      response = await browser.submit(target.href, '/login', { barcode: patron.barcode, pin: patron.pin, next: target.searchParams.get('next') ?? '/' });
    } else if (target.pathname.startsWith('/notices/')) {
      const page = await browser.get(target.href);
      if (page.status !== 200) return { response: page, hops };
      const consents = options.consents ?? [];
      response = await browser.submit(target.href, target.pathname, { decision: options.decision ?? 'accept' }, (html): Record<string, string> => {
        const offered = [...html.matchAll(/name="consent" value="([^"]+)"/g)].map((m) => m[1] ?? '');
        const picked = offered.find((c) => consents.includes(c));
        return picked === undefined ? {} : { consent: picked };
      });
    } else {
      response = await browser.get(target.href);
    }
  }
  return { response, hops };
}
