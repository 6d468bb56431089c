import type { PatronSource } from '../patron-source.ts';

/**
 * The patron source of `patrons.source: oidc`: there is nothing to look up. A patron's record is
 * made from the provider's claims at sign-in and travels sealed in their session; cards and PINs
 * are not checked here (the sign-in form is not offered), and staff tools that look a card up
 * find nobody.
 */
export function createSsoPatronSource(): PatronSource {
  return Object.freeze({
    findById: async () => undefined,
    findByBarcode: async () => undefined,
    authenticate: async () => undefined,
  });
}
