import * as z from 'zod';
import { SIP2_STATUS_FLAGS } from '../policy/sip2/sip2-status-flags.ts';

export const SIP2_EXPIRY = ['withhold', 'cannot-borrow', 'date'] as const;
export const SIP2_FINES = ['withhold', 'cannot-borrow', 'amount'] as const;
export const SIP2_COUNTS = ['blank', 'zeros'] as const;
export const SIP2_PIN = ['optional', 'required'] as const;

/**
 * `identity.sip2`: how the vendor view becomes a SIP2 24 or 64 answer (`identity.delivery: sip2`,
 * reference section 10.3). Everything not named here is withheld: the answer carries AO, the AA
 * the vendor sent, AE (empty unless names are released), BL, CQ (only when the vendor sent a PIN)
 * and the status flags listed; released fields go in the field ids of `identity.names`.
 */
export const sip2DeliverySchema = z.strictObject({
  /** Patron-status flags the vendor may see (by name, reference 4.8); every other position is blank. */
  statusFlags: z.array(z.enum(SIP2_STATUS_FLAGS)).default([]),
  /** Set "charge privileges denied" (position 0) when any blocking flag is set, instead of showing which. */
  cannotBorrow: z.boolean().default(false),
  /** The card's expiry: withhold (default), cannot-borrow (an expired card sets position 0), or date (PA, YYYYMMDD). */
  expiry: z.enum(SIP2_EXPIRY).default('withhold'),
  /** Fines: withhold (default), cannot-borrow (over fineLimit sets position 0), or amount (BV, and BH when known). */
  fines: z.enum(SIP2_FINES).default('withhold'),
  /** fines: cannot-borrow only: the amount above which the patron cannot borrow (in the ILS's currency). */
  fineLimit: z.number().min(0).optional(),
  /** AE when no name is released: empty (default), or a fixed neutral text such as "Library Patron". */
  personalName: z.string().max(64).default(''),
  /** The six counts of a 64: blank (four blanks, "unknown"; default) or zeros ("0000") for strict clients. */
  counts: z.enum(SIP2_COUNTS).default('blank'),
  /** required: a lookup without a PIN (AD) never reaches the ILS and the connection is closed. */
  pin: z.enum(SIP2_PIN).default('optional'),
  /** AO in answers; default: the AO the vendor sent. */
  institution: z.string().regex(/^[A-Za-z0-9 _.-]{1,32}$/, 'use up to 32 letters, digits, spaces, dots, hyphens or underscores').optional(),
});

export type Sip2DeliveryDocument = z.output<typeof sip2DeliverySchema>;
