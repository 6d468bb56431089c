import type { BrowserPage, CookieBrowser } from './cookie-browser.ts';
import { readForm } from './cookie-browser.ts';

export interface SsoJourneyOptions {
  /** Cancel at the provider's sign-in page instead of signing in (the provider answers access_denied). */
  readonly decline?: boolean;
  /** Stop before the browser returns to the gateway: the last page is the provider's redirect to the callback. */
  readonly stopBeforeCallback?: boolean;
}

/**
 * A person signing in at the library's provider, the way a browser does: the gateway's start URL,
 * its redirect to the provider, the provider's development sign-in page (the account id typed),
 * its consent page, and the redirect back to the gateway's callback and on. Returns the last page.
 */
export async function signInAtProvider(browser: CookieBrowser, startUrl: string, accountId: string, options: SsoJourneyOptions = {}): Promise<BrowserPage> {
  const gatewayOrigin = new URL(startUrl).origin;
  const follow = options.stopBeforeCallback ? (url: URL) => url.origin !== gatewayOrigin || !url.pathname.endsWith('/callback') : () => true;
  let page = await browser.open(startUrl, { follow });
  if (new URL(page.url).origin === gatewayOrigin) return page;
  if (options.decline) {
    const abort = /href="([^"]*\/abort[^"]*)"/.exec(page.body)?.[1];
    if (abort === undefined) throw new Error('no cancel link on the provider page');
    return browser.open(new URL(abort.replaceAll('&amp;', '&'), page.url).href, { follow });
  }
  // The sign-in page, then the consent page (each a form of the provider's own).
  for (let step = 0; step < 3 && new URL(page.url).origin !== gatewayOrigin && page.status === 200; step++) {
    const form = readForm(page);
    page = await browser.post(form.action, { ...form.fields, ...(form.fields['prompt'] === 'login' ? { login: accountId, password: 'any' } : {}) }, { follow });
  }
  return page;
}
