/** One response the browser saw (after following no redirects). */
export interface BrowserPage {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * A browser-like client over fetch: a cookie jar per origin (Max-Age=0 and expired cookies
 * removed), redirects followed by hand (so every hop is seen and its cookies kept), forms posted
 * as a browser posts them. Paths and SameSite are not modelled: every cookie of an origin is sent
 * to it. Origins are host and port, so the gateway and the provider on loopback stay apart.
 */
export interface CookieBrowser {
  /** GET, following redirects while `follow` says so (default: all), at most 20 hops. */
  open(url: string, options?: { follow?: (url: URL) => boolean }): Promise<BrowserPage>;
  /** POST a urlencoded form, then follow redirects like open(). */
  post(url: string, fields: Record<string, string>, options?: { follow?: (url: URL) => boolean }): Promise<BrowserPage>;
  /** The cookies the browser holds for an origin, as name -> value. */
  cookies(origin: string): ReadonlyMap<string, string>;
  /** Every page seen, in order (to check what passed through the browser). */
  readonly history: BrowserPage[];
}

export function createCookieBrowser(): CookieBrowser {
  const jar = new Map<string, Map<string, string>>();
  const history: BrowserPage[] = [];
  const jarOf = (origin: string): Map<string, string> => {
    let cookies = jar.get(origin);
    if (!cookies) jar.set(origin, (cookies = new Map()));
    return cookies;
  };
  const keep = (url: URL, headers: Headers): void => {
    const cookies = jarOf(url.origin);
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const removed = attributes.some((a) => /^max-age=(0|-\d+)$/i.test(a) || (/^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()));
      if (removed || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const send = async (url: URL, init: RequestInit): Promise<BrowserPage> => {
    const cookies = [...jarOf(url.origin)].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { accept: 'text/html', ...(cookies ? { cookie: cookies } : {}), ...(init.headers as Record<string, string> | undefined) } });
    keep(url, response.headers);
    const page = { url: url.href, status: response.status, headers: response.headers, body: await response.text() };
    history.push(page);
    return page;
  };
  const follow = async (first: BrowserPage, allowed: (url: URL) => boolean): Promise<BrowserPage> => {
    let page = first;
    for (let hop = 0; hop < 20 && page.status >= 300 && page.status < 400; hop++) {
      const location = page.headers.get('location');
      if (location === null) return page;
      const next = new URL(location, page.url);
      if (!allowed(next)) return page;
      page = await send(next, { method: 'GET' });
    }
    return page;
  };
  return {
    history,
    async open(url, options = {}) {
      return follow(await send(new URL(url), { method: 'GET' }), options.follow ?? (() => true));
    },
    async post(url, fields, options = {}) {
      const first = await send(new URL(url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
      return follow(first, options.follow ?? (() => true));
    },
    cookies(origin) {
      return jarOf(origin);
    },
  };
}

/** The first form of a page: its action (absolute) and its hidden and pre-filled inputs. */
export function readForm(page: BrowserPage, index = 0): { action: string; fields: Record<string, string> } {
  const forms = [...page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms[index];
  if (!form) throw new Error(`no form ${index} on ${page.url} (status ${page.status})`);
  const action = /action="([^"]*)"/.exec(form[1] ?? '')?.[1] ?? page.url;
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1] ?? '')?.[1];
    const value = /value="([^"]*)"/.exec(input[1] ?? '')?.[1] ?? '';
    if (name !== undefined) fields[name] = value.replaceAll('&amp;', '&');
  }
  return { action: new URL(action.replaceAll('&amp;', '&'), page.url).href, fields };
}
