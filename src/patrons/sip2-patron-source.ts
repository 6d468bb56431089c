/**
 * The library's ILS as the patron source, over SIP2 (issue 12). Sign-in sends a 63 with a blank
 * summary (no item list: reading history is never asked for) and the PIN in AD; the card is
 * valid only when BL=Y and CQ=Y. A returning request re-reads the record with a 63 without AD.
 *
 * A faulty ILS (down, slow, garbage, BL or CQ missing, a wrong checksum or sequence) is a
 * GatewayError `ils_unavailable` (503): never "wrong PIN", never another source. PINs travel
 * only to the ILS: never logged, cached or compared here.
 */
import { LRUCache } from 'lru-cache';
import { GatewayError } from '../errors/gateway-error.ts';
import type { Patron } from '../policy/patron.ts';
import type { PatronInformationResponse } from '../sip2/messages/patron-information.ts';
import { Sip2ClientError } from '../sip2/sip2-client-error.ts';
import type { Sip2Pool } from '../sip2/sip2-connection-pool.ts';
import { requestPatronInformation } from '../sip2/request-patron-information.ts';
import type { PatronSource } from './patron-source.ts';
import { mapSip2Patron, type Sip2Dialect } from './sip2-dialect.ts';

export interface Sip2PatronSourceOptions {
  /** The connections to the ILS (logged in with the gateway's own 93). */
  readonly pool: Sip2Pool;
  /** AO of every request. */
  readonly institution: string;
  readonly dialect: Sip2Dialect;
  /** Per lookup, waiting for a connection included. */
  readonly timeoutMs: number;
  readonly now: () => number;
  /**
   * The record of each patron signed in on this node, by patron id, for the session's returning
   * requests: bounded, in memory only (the per-session cache; never the PIN). On a miss (another
   * node, an evicted entry) the record is read again with a 63 without AD, when the patron id is
   * the card number.
   */
  readonly cache: { readonly max: number; readonly ttlMs: number };
}

export interface Sip2PatronSource extends PatronSource {
  /** Closes the connections to the ILS. */
  close(): void;
}

/** A barcode the gateway sends: one line, no field delimiter, at most 64 characters. */
const SENDABLE_BARCODE = /^[^|\r\n]{1,64}$/;

export function createSip2PatronSource(options: Sip2PatronSourceOptions): Sip2PatronSource {
  const records = new LRUCache<string, Patron>({ max: options.cache.max, ttl: options.cache.ttlMs });

  /** One 63 → 64 exchange; every ILS fault becomes ils_unavailable. */
  async function lookUp(barcode: string, pin: string | undefined): Promise<PatronInformationResponse> {
    try {
      return await requestPatronInformation(options.pool, { institution: options.institution, barcode, pin, now: options.now(), timeoutMs: options.timeoutMs });
    } catch (error) {
      if (error instanceof Sip2ClientError) throw new GatewayError('ils_unavailable', { detail: `sip2 ${error.reason}` });
      throw new GatewayError('ils_unavailable', { detail: 'sip2 exchange failed', cause: error });
    }
  }

  /** The patron of a 64 whose card is valid (and, when a PIN was sent, whose PIN is right). */
  function readAnswer(answer: PatronInformationResponse, barcode: string, pinSent: boolean): Patron | undefined {
    // BL missing is "unknown", not "valid": the ILS cannot be trusted with this card now.
    if (answer.validPatron === undefined) throw new GatewayError('ils_unavailable', { detail: 'sip2 answer without BL' });
    if (!answer.validPatron) return undefined;
    if (pinSent) {
      // CQ missing is "not checked", never "right".
      if (answer.validPatronPassword === undefined) throw new GatewayError('ils_unavailable', { detail: 'sip2 answer without CQ' });
      if (!answer.validPatronPassword) return undefined;
    }
    const mapped = mapSip2Patron(answer, options.dialect, barcode);
    if (!mapped.ok) throw new GatewayError('ils_unavailable', { detail: `sip2 answer without the dialect's patronId field` });
    return mapped.patron;
  }

  const findByBarcode = async (raw: string): Promise<Patron | undefined> => {
    const barcode = raw.trim();
    if (!SENDABLE_BARCODE.test(barcode)) return undefined;
    return readAnswer(await lookUp(barcode, undefined), barcode, false);
  };

  return {
    async authenticate(raw, pin) {
      const barcode = raw.trim();
      // Nothing to ask the ILS: no card, or no PIN (an empty AD would count as sent).
      if (!SENDABLE_BARCODE.test(barcode) || pin === '') return undefined;
      const patron = readAnswer(await lookUp(barcode, pin), barcode, true);
      if (patron !== undefined) records.set(patron.patronId, patron);
      return patron;
    },
    findByBarcode,
    async findById(patronId) {
      const known = records.get(patronId);
      if (known !== undefined) return known;
      // Without the dialect's patronId field, the id is the card number and can be asked again.
      if (options.dialect.patronId !== undefined) return undefined;
      const patron = await findByBarcode(patronId);
      // The card now answers with another id (reissued, or transformed by the ILS): not this session's patron.
      if (patron?.patronId !== patronId) return undefined;
      records.set(patronId, patron);
      return patron;
    },
    close() {
      options.pool.close();
      records.clear();
    },
  };
}
