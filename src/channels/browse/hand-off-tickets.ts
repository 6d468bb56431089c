import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SingleUseTickets } from '../../sessions/single-use-tickets.ts';
import type { SealedBox } from './sealed-box.ts';

/** What a ticket hands from the gateway's /browse/{vendor} to one vendor origin. */
export interface HandOff {
  /** The gateway session token (itself sealed): the vendor origin's session ends with it. */
  readonly token: string;
  /** The notice version the patron accepted and the consents chosen on it (the origin cannot read the gateway's notice cookie). */
  readonly noticeVersion: string;
  readonly consents: ReadonlyArray<string>;
  /** Where to go on the vendor origin afterwards (a path starting with /). */
  readonly path: string;
}

export interface HandOffTickets {
  /** A ticket good once, for `ttlSeconds`, on the proxied host `host` only. */
  issue(handOff: HandOff, host: string, now: Date): Promise<string>;
  /** The hand-off, the first time a valid, unexpired ticket for this host is shown; undefined otherwise (another host, expired, used, forged). */
  redeem(ticket: string, host: string, now: Date): Promise<HandOff | undefined>;
}

/**
 * Signed, single-use, seconds-long tickets: `<id>.<expiry>.<mac>`, the MAC (HMAC-SHA256 under a key
 * of its own) over the id, the expiry and the proxied host it is for; the hand-off itself waits in
 * the single-use store (memory or Redis), sealed to the id and host. A ticket shown on another host,
 * after its expiry (by the gateway's clock) or a second time opens nothing.
 */
export function createHandOffTickets(deps: { secret: Uint8Array; box: SealedBox; store: SingleUseTickets; ttlSeconds: number }): HandOffTickets {
  const macKey = Buffer.from(hkdfSync('sha256', deps.secret, Buffer.alloc(0), 'patron-privacy-gateway/browse/ticket-mac', 32));
  const mac = (id: string, expiry: number, host: string): Buffer => createHmac('sha256', macKey).update(`${id}.${expiry}.${host}`).digest();
  return {
    async issue(handOff, host, now) {
      const id = randomBytes(18).toString('base64url');
      const expiry = Math.floor(now.getTime() / 1000) + deps.ttlSeconds;
      const stored = await deps.store.put(`browse:${id}`, deps.box.seal(JSON.stringify(handOff), `${id}|${host}`), deps.ttlSeconds);
      if (!stored) throw new Error('ticket id collision');
      return `${id}.${expiry}.${mac(id, expiry, host).toString('base64url')}`;
    },
    async redeem(ticket, host, now) {
      const match = /^([A-Za-z0-9_-]{24})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
      if (!match) return undefined;
      const id = match[1] as string;
      const expiry = Number(match[2]);
      const given = Buffer.from(match[3] as string, 'base64url');
      if (!timingSafeEqual(given, mac(id, expiry, host))) return undefined;
      if (expiry <= Math.floor(now.getTime() / 1000)) return undefined;
      const sealed = await deps.store.take(`browse:${id}`);
      const opened = sealed === undefined ? undefined : deps.box.open(sealed, `${id}|${host}`);
      if (opened === undefined) return undefined;
      return parseHandOff(opened);
    },
  };
}

function parseHandOff(text: string): HandOff | undefined {
  try {
    const value = JSON.parse(text) as Partial<HandOff>;
    if (typeof value.token !== 'string' || typeof value.noticeVersion !== 'string' || typeof value.path !== 'string' || !Array.isArray(value.consents)) return undefined;
    return { token: value.token, noticeVersion: value.noticeVersion, consents: value.consents.filter((c): c is string => typeof c === 'string'), path: value.path };
  } catch {
    return undefined;
  }
}
