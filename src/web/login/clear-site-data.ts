/**
 * What the browser is told to clear for the gateway's site, so that on a shared library computer
 * nothing one patron's visit left (vendor cookies, the HTTP cache of vendor responses, storage)
 * reaches the next patron. Browsers apply it to the whole registrable domain of the gateway
 * (browse-mode origins under it included), and only on https (and localhost).
 *
 * Chromium applies Clear-Site-Data after the Set-Cookie headers of the same response (checked in
 * test/integration/browser-shared-computer.test.ts), so the response that starts a session cannot
 * clear cookies: the sign-in page clears everything before the form is shown (a redirect to
 * itself), and the sign-in response clears the cache and storage once more.
 */
export const CLEAR_SITE_DATA = {
  signOut: '"cache", "cookies", "storage"',
  signInPage: '"cache", "cookies", "storage"',
  signIn: '"cache", "storage"',
} as const;
