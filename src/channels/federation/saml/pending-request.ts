import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** A verified AuthnRequest waiting for the patron (sign-in, notice): what the answer needs, nothing else. */
export interface PendingRequest {
  /** The vendor (contract id). */
  readonly vendor: string;
  /** The AuthnRequest's ID (InResponseTo). */
  readonly id: string;
  /** The ACS's position in the SP's metadata list. */
  readonly acs: number;
  readonly relayState?: string;
  readonly isPassive: boolean;
  /** Seconds since the epoch after which it is refused. */
  readonly exp: number;
}

/** Seals pending requests into the URL the patron comes back to (`/saml/resume?r=...`): stateless, so any node resumes it. */
export interface PendingRequests {
  seal(pending: PendingRequest): string;
  /** The pending request, or undefined for anything tampered with, malformed or expired. */
  open(token: string, now: Date): PendingRequest | undefined;
}

/** How long a patron may take to sign in and read the notice, in seconds. */
export const PENDING_LIFETIME_SECONDS = 15 * 60;
const MAX_TOKEN_CHARS = 1024;

/**
 * HMAC-SHA256 under a key of its own, derived by HKDF from `key` (the session key, shared by every
 * node) with its own label: no other token of the gateway passes for one of these. Its content is
 * the SP's (request id, RelayState) and the ACS position, never patron data.
 */
export function createPendingRequests(key: Uint8Array): PendingRequests {
  const macKey = Buffer.from(hkdfSync('sha256', key, Buffer.from('patron-privacy-gateway/saml-pending/v1'), Buffer.alloc(0), 32));
  const mac = (payload: string): Buffer => createHmac('sha256', macKey).update(payload).digest();
  return {
    seal(pending) {
      const payload = Buffer.from(JSON.stringify({ v: pending.vendor, i: pending.id, a: pending.acs, r: pending.relayState, p: pending.isPassive ? 1 : 0, e: pending.exp })).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    open(token, now) {
      if (token.length > MAX_TOKEN_CHARS) return undefined;
      const [payload, tag, extra] = token.split('.');
      if (payload === undefined || tag === undefined || extra !== undefined) return undefined;
      const given = Buffer.from(tag, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      let data: { v?: unknown; i?: unknown; a?: unknown; r?: unknown; p?: unknown; e?: unknown };
      try {
        data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof data;
      } catch {
        return undefined;
      }
      if (typeof data.v !== 'string' || typeof data.i !== 'string' || typeof data.a !== 'number' || typeof data.e !== 'number') return undefined;
      if (data.e <= Math.floor(now.getTime() / 1000)) return undefined;
      return { vendor: data.v, id: data.i, acs: data.a, ...(typeof data.r === 'string' ? { relayState: data.r } : {}), isPassive: data.p === 1, exp: data.e };
    },
  };
}
