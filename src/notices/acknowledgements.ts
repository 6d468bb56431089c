import { hkdfSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { LRUCache } from 'lru-cache';
import { gatewayCookieName, readCookie, serializeCookie } from '../lib/cookies.ts';

export const NOTICES_COOKIE = 'gw_notices';

/** A patron's acknowledgement of one vendor's notice: the version they saw, the consents they chose, when. */
export interface Acknowledgement {
  readonly version: string;
  readonly consents: ReadonlyArray<string>;
  /** Seconds since the epoch. */
  readonly at: number;
}

export type Acknowledgements = Readonly<Record<string, Acknowledgement>>;

/**
 * Notice acknowledgements and consents live in the patron's browser, in an encrypted cookie bound
 * to the patron: no server state. A cookie that was tampered with, made for another patron or
 * cannot be read counts as no acknowledgement at all (the notice is shown again).
 */
export interface AcknowledgementStore {
  /** Synchronous for a cookie already read (every proxied request carries it); a promise otherwise. */
  read(req: IncomingMessage, patronId: string): Acknowledgements | Promise<Acknowledgements>;
  /** The Set-Cookie value holding these acknowledgements (named `__Host-gw_notices` when the store is `secure`). */
  write(patronId: string, acknowledgements: Acknowledgements, secure: boolean): Promise<string>;
}

const ISSUER = 'patron-privacy-gateway/notices';
const MAX_AGE_SECONDS = 400 * 86_400;

/**
 * `key` is key material that does not rotate (the pseudonym secret): the cookie lasts 400 days,
 * far longer than a session, and must outlive session-key rotations. `acceptKeys` are older key
 * materials whose cookies are still read (never written): the session keys, under which cookies
 * were sealed before the notices key moved to the pseudonym secret.
 */
export function createAcknowledgementStore(options: { key: Uint8Array; acceptKeys?: ReadonlyArray<Uint8Array>; secure?: boolean }): AcknowledgementStore {
  const cookieName = gatewayCookieName(NOTICES_COOKIE, options.secure ?? false);
  // A key of its own, derived by HKDF with its own label: no session token or pseudonym key can pass for this cookie.
  const derive = (material: Uint8Array): Uint8Array => new Uint8Array(hkdfSync('sha256', material, Buffer.from('patron-privacy-gateway/notices/v1'), Buffer.alloc(0), 32));
  const key = derive(options.key);
  const readKeys = [key, ...(options.acceptKeys ?? []).map(derive)];
  const cache = new LRUCache<string, { pid: string; acks: Acknowledgements }>({ max: 10_000 });
  // A cookie that was tampered with, or made for another key, reads as no acknowledgement at all.
  const decrypt = async (token: string): Promise<{ pid: string; acks: Acknowledgements }> => {
    for (const readKey of readKeys) {
      try {
        const { payload } = await jwtDecrypt(token, readKey, { issuer: ISSUER, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
        return { pid: String(payload['pid'] ?? ''), acks: sanitize(payload['acks']) };
      } catch {
        // Not under this key: try the next.
      }
    }
    return { pid: '', acks: NONE };
  };
  return {
    read(req, patronId) {
      const token = readCookie(req, cookieName);
      if (!token || token.length > 8192) return NONE;
      const known = cache.get(token);
      if (known) return known.pid === patronId ? known.acks : NONE;
      return decrypt(token).then((entry) => {
        cache.set(token, entry);
        return entry.pid === patronId ? entry.acks : NONE;
      });
    },
    async write(patronId, acknowledgements, secure) {
      const token = await new EncryptJWT({ pid: patronId, acks: acknowledgements }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuer(ISSUER).encrypt(key);
      return serializeCookie(cookieName, token, { maxAge: MAX_AGE_SECONDS, secure });
    },
  };
}

const NONE: Acknowledgements = Object.freeze({});

function sanitize(value: unknown): Acknowledgements {
  const out: Record<string, Acknowledgement> = {};
  if (!value || typeof value !== 'object') return out;
  for (const [vendor, raw] of Object.entries(value as Record<string, unknown>)) {
    const ack = raw as Partial<Acknowledgement> | null;
    if (!ack || typeof ack.version !== 'string' || typeof ack.at !== 'number' || !Array.isArray(ack.consents)) continue;
    out[vendor] = { version: ack.version, at: ack.at, consents: ack.consents.filter((c): c is string => typeof c === 'string') };
  }
  return out;
}
