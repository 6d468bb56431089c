import { createHmac, hkdfSync } from 'node:crypto';

/**
 * What a sign-in throttle counts under, instead of the card and the client address themselves: an
 * HMAC of each under a key of the throttle's own (derived from the session key), so neither a
 * card number nor an address is kept, in memory or in a shared store. Every node with the same
 * session key derives the same ids, so a shared store counts one card once across nodes.
 */
export interface ThrottleIds {
  /** The card, after the same normalisation a patron source applies and more (spaces, dashes, case). */
  card(card: string): string;
  client(client: string): string;
}

const HKDF_SALT = Buffer.from('patron-privacy-gateway/login-rate-limit/v1', 'utf8');

export function createThrottleIds(key: Uint8Array): ThrottleIds {
  const cardKey = Buffer.from(hkdfSync('sha256', key, HKDF_SALT, Buffer.from('card', 'utf8'), 32));
  const clientKey = Buffer.from(hkdfSync('sha256', key, HKDF_SALT, Buffer.from('client', 'utf8'), 32));
  return {
    card: (card) => createHmac('sha256', cardKey).update(normalizeCard(card)).digest('base64url'),
    client: (client) => createHmac('sha256', clientKey).update(client).digest('base64url'),
  };
}

/** The card as typed, reduced so that spacing, dashes and case cannot make a fresh bucket. */
function normalizeCard(card: string): string {
  return card.normalize('NFKC').replace(/[\s\-_.]/g, '').toLowerCase();
}
