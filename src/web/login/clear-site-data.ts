/**
 * What the browser is told to clear for the gateway's site when a patron signs out, and when the
 * next one signs in: on a shared library computer nothing one patron's visit left (the HTTP cache
 * of vendor responses, storage, cookies) may reach the next patron. Browsers apply it to the
 * whole registrable domain of the gateway (browse-mode origins under it included).
 */
export const CLEAR_SITE_DATA = {
  signOut: '"cache", "cookies", "storage"',
  signIn: '"cache", "cookies", "storage"',
} as const;
