import type { CompiledSip2Delivery } from '../contracts/compiled-sip2-delivery.ts';
import type { ViewValue } from '../policy/generalizations/generalization.ts';
import type { Sip2Account } from '../policy/sip2/sip2-account.ts';
import { BLOCKING_STATUS_POSITIONS, SIP2_STATUS_LENGTH } from '../policy/sip2/sip2-status-flags.ts';
import type { MinimizeResult } from './minimize.ts';

/** What the vendor asked, as far as the answer echoes it. */
export interface Sip2AnswerRequest {
  /** 24 answers a 23; 64 answers a 63. */
  readonly kind: '24' | '64';
  /** The vendor's AO. */
  readonly institution: string;
  /** The vendor's AA, echoed. */
  readonly patronIdentifier: string;
  /** The vendor's 3-digit language, echoed ("000" when it sent none). */
  readonly language: string;
  /** Whether the vendor sent AD (even empty): CQ is answered only then. */
  readonly pinSent: boolean;
}

/**
 * A fresh 24 or 64 as data: the codec renders it with the vendor's AY and a new AZ. Variable
 * fields are in the order they are written: AO, AA, AE, BL, CQ, then BH/BV, PA and the released
 * values. Counts and item lists do not exist here: a 64 always carries blank (or zero) counts.
 */
export interface Sip2Answer {
  readonly code: '24' | '64';
  /** 14 characters, `Y` or blank. */
  readonly patronStatus: string;
  readonly language: string;
  readonly transactionDate: Date;
  /** 64 only: the four characters of each of the six counts. */
  readonly count: string;
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

const BLANK_STATUS = ' '.repeat(SIP2_STATUS_LENGTH);
const NOTHING: Readonly<Record<string, ViewValue>> = Object.freeze({});
const MAX_VALUE = 255;
/** The field delimiter and control characters (CR ends a message): never inside a value. */
const UNSAFE = /[|\x00-\x1F\x7F]/g;

/**
 * The pure SIP2 answer policy (reference 10.3): from the ILS's account status, the minimizer's
 * result and the contract's sip2 delivery, the fields of a fresh answer. Default deny: nothing the
 * ILS said reaches the vendor unless the contract names it. AA is the vendor's own (or the
 * contract's pseudonym); AE is empty unless names are released; status flags pass only where the
 * contract allows; a patron the minors rule blocks gets "charge privileges denied" and no fields.
 */
export function buildSip2Answer(request: Sip2AnswerRequest, account: Sip2Account, result: MinimizeResult, delivery: CompiledSip2Delivery, now: Date): Sip2Answer {
  // A wrong PIN proves nothing about who asks: the vendor learns "not this PIN" and nothing more
  // about the card (no released value, no status flag, no fines or expiry).
  const wrongPin = request.pinSent && account.pinValid === false;
  const view = wrongPin ? NOTHING : result.view;
  const fields: Array<readonly [string, string]> = [];
  fields.push(['AO', delivery.institution ?? request.institution]);
  const pseudonym = delivery.pseudonymInAA === undefined ? undefined : view[delivery.pseudonymInAA];
  fields.push(['AA', pseudonym === undefined ? request.patronIdentifier : writeValue(pseudonym)]);
  fields.push(['AE', writePersonalName(view, delivery)]);
  fields.push(['BL', account.valid ? 'Y' : 'N']);
  if (request.pinSent && account.pinValid !== undefined) fields.push(['CQ', account.pinValid ? 'Y' : 'N']);
  const known = account.valid && !wrongPin;
  if (known && delivery.fines === 'amount' && account.feeAmount !== undefined) {
    if (account.currency !== undefined) fields.push(['BH', writeValue(account.currency)]);
    fields.push(['BV', account.feeAmount.toFixed(2)]);
  }
  if (known && delivery.expiry === 'date' && account.expires !== undefined) fields.push(['PA', account.expires.replaceAll('-', '')]);
  for (const carrier of delivery.carriers) {
    const value = view[carrier.view];
    if (value === undefined) continue;
    const text = writeValue(value);
    fields.push([carrier.fieldId, carrier.format === 'date' ? text.replaceAll('-', '') : text]);
  }
  return {
    code: request.kind,
    patronStatus: wrongPin ? BLANK_STATUS : known ? writeStatus(account, result, delivery, now) : filterFlags(account.statusFlags, delivery),
    language: request.language,
    transactionDate: now,
    count: delivery.counts === 'zeros' ? '0000' : '    ',
    fields,
  };
}

function writePersonalName(view: Readonly<Record<string, ViewValue>>, delivery: CompiledSip2Delivery): string {
  if (delivery.nameViews.length === 0) return delivery.personalName;
  const parts: string[] = [];
  for (const name of delivery.nameViews) {
    const value = view[name];
    if (value !== undefined) parts.push(writeValue(value));
  }
  return parts.join(' ');
}

function filterFlags(flags: string, delivery: CompiledSip2Delivery): string {
  const out = BLANK_STATUS.split('');
  for (const position of delivery.statusPositions) if (flags[position] === 'Y') out[position] = 'Y';
  return out.join('');
}

function writeStatus(account: Sip2Account, result: MinimizeResult, delivery: CompiledSip2Delivery, now: Date): string {
  const status = filterFlags(account.statusFlags, delivery);
  if (status[0] === 'Y') return status;
  return cannotBorrow(account, result, delivery, now) ? `Y${status.slice(1)}` : status;
}

/** Whether position 0 ("charge privileges denied") is set by a generalization the contract asks for. */
function cannotBorrow(account: Sip2Account, result: MinimizeResult, delivery: CompiledSip2Delivery, now: Date): boolean {
  if (result.access === 'blocked') return true;
  if (delivery.cannotBorrow && BLOCKING_STATUS_POSITIONS.some((position) => account.statusFlags[position] === 'Y')) return true;
  if (delivery.expiry === 'cannot-borrow' && account.expires !== undefined && account.expires < now.toISOString().slice(0, 10)) return true;
  return delivery.fines === 'cannot-borrow' && account.feeAmount !== undefined && account.feeAmount > (delivery.fineLimit ?? 0);
}

/** A view value as SIP2 text: booleans Y/N, no field delimiter or control character, at most 255 characters. */
function writeValue(value: ViewValue): string {
  const text = typeof value === 'boolean' ? (value ? 'Y' : 'N') : Array.isArray(value) ? value.join(' ') : String(value);
  return text.replace(UNSAFE, ' ').slice(0, MAX_VALUE);
}
