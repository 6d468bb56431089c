import type { CanonicalField } from '../policy/canonical-fields.ts';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import { findDefaultSip2Field, RESERVED_SIP2_FIELDS, SIP2_FIELD_ID } from '../policy/sip2/sip2-field-ids.ts';
import { locateStatusFlag } from '../policy/sip2/sip2-status-flags.ts';
import type { CompiledSip2Delivery, Sip2Carrier } from './compiled-sip2-delivery.ts';
import type { Sip2DeliveryDocument } from './sip2-delivery-schema.ts';
import { sip2DeliverySchema } from './sip2-delivery-schema.ts';

type Push = (path: string, message: string, fix: string) => void;

/** The parts of a contract that `sip2` delivery depends on. */
export interface Sip2DeliveryInput {
  readonly sip2: Sip2DeliveryDocument | undefined;
  readonly names: Readonly<Record<string, string>> | undefined;
  /** Released rules (action other than drop), in canonical order. */
  readonly released: ReadonlyArray<CompiledRule>;
}

const NAME_FIELDS: ReadonlyArray<CanonicalField> = ['firstName', 'lastName'];
/** Fields whose value is a list: one SIP2 field holds one value. */
const LIST_FIELDS: ReadonlySet<CanonicalField> = new Set<CanonicalField>(['consents']);
/** Plain text a SIP2 value may hold: printable ASCII without the field delimiter. */
const SIP2_TEXT = /^[\x20-\x7B\x7D\x7E]*$/;

/**
 * Checks and compiles `identity.sip2` and the released rules for SIP2: every released value needs
 * a field that can carry it (identity.names, or the standard one of reference 10.4), never a
 * field the protocol reserves, never a list, names only in AE and in clear, a pseudonym in AA or
 * another field but never in AE, one value per field. Every problem is pushed; the compiled
 * delivery comes back only when there is none.
 */
export function compileSip2Delivery(input: Sip2DeliveryInput, push: Push): CompiledSip2Delivery | undefined {
  const before = countingPush(push);
  const document = input.sip2 ?? sip2DeliverySchema.parse({});
  const names = input.names ?? {};
  const nameViews: string[] = [];
  const carriers: Sip2Carrier[] = [];
  let pseudonymInAA: string | undefined;
  const usedIds = new Map<string, string>();

  for (const rule of input.released) {
    const path = `fields.${rule.field}`;
    const mapped = names[rule.as];
    // Names can only be passed (the rule checks refuse anything else): they go in AE, in clear.
    if (NAME_FIELDS.includes(rule.field)) {
      if (mapped !== undefined && mapped !== 'AE') {
        before.push(`identity.names.${rule.as}`, `${rule.field} goes in AE (the personal name), not in ${mapped}`, `remove identity.names.${rule.as}`);
      } else nameViews.push(rule.as);
      continue;
    }
    if (LIST_FIELDS.has(rule.field)) {
      before.push(path, `${rule.field} is a list, and a SIP2 field carries one value`, `drop ${rule.field} for this vendor`);
      continue;
    }
    const fieldId = mapped ?? findDefaultSip2Field(rule.field, rule.action);
    const namesPath = `identity.names.${rule.as}`;
    if (fieldId === undefined) {
      before.push(path, `SIP2 has no standard field for ${rule.field} (${rule.action}${rule.generalization ? ` to ${rule.generalization.name}` : ''})`, `name the field the vendor reads in identity.names (for example ${rule.as}: XP), or drop the rule`);
      continue;
    }
    if (!SIP2_FIELD_ID.test(fieldId)) {
      before.push(namesPath, `"${fieldId}" is not a SIP2 field id`, 'use two upper-case letters or digits starting with a letter, such as XI or PZ');
      continue;
    }
    if (fieldId === 'AA') {
      if (rule.action !== 'pseudonymize') {
        before.push(namesPath, `AA echoes the identifier the vendor sent; only a pseudonym may replace it, not ${rule.field} (${rule.action})`, 'carry this value in another field, such as XI');
        continue;
      }
    } else {
      const reserved = RESERVED_SIP2_FIELDS.get(fieldId);
      if (reserved !== undefined) {
        before.push(namesPath, `${fieldId} is ${reserved}, which the mediator never fills from a released value`, 'name another field the vendor reads, such as XI, PC or a vendor-agreed code');
        continue;
      }
    }
    const other = usedIds.get(fieldId);
    if (other !== undefined) {
      before.push(namesPath, `${fieldId} already carries ${other}`, 'give each released value its own SIP2 field');
      continue;
    }
    usedIds.set(fieldId, rule.field);
    if (fieldId === 'AA') pseudonymInAA = rule.as;
    else carriers.push(Object.freeze({ view: rule.as, fieldId, format: rule.field === 'birthDate' && rule.action === 'pass' ? 'date' : 'text' }));
  }

  if (document.fines === 'cannot-borrow' && document.fineLimit === undefined) {
    before.push('identity.sip2.fineLimit', 'fines: cannot-borrow needs the limit above which the patron cannot borrow', 'add fineLimit: an amount, such as 10');
  }
  if (document.fines !== 'cannot-borrow' && document.fineLimit !== undefined) {
    before.push('identity.sip2.fineLimit', `fineLimit only applies to fines: cannot-borrow (this is ${document.fines})`, 'remove fineLimit, or set fines: cannot-borrow');
  }
  if (!SIP2_TEXT.test(document.personalName)) {
    before.push('identity.sip2.personalName', 'holds a character SIP2 cannot carry (a "|", a line break or a non-ASCII character)', 'use plain ASCII text such as Library Patron');
  }
  if (document.personalName !== '' && nameViews.length > 0) {
    before.push('identity.sip2.personalName', 'the contract releases a name for AE, so a fixed personalName would never be used', 'remove personalName, or drop the name rules');
  }
  const seen = new Set<Sip2DeliveryDocument['statusFlags'][number]>();
  document.statusFlags.forEach((flag, index) => {
    if (seen.has(flag)) before.push(`identity.sip2.statusFlags[${index}]`, `"${flag}" is listed twice`, 'list each flag once');
    seen.add(flag);
  });
  if (before.count > 0) return undefined;
  return Object.freeze({
    statusPositions: Object.freeze([...seen].map((flag) => locateStatusFlag(flag)).sort((a, b) => a - b)),
    cannotBorrow: document.cannotBorrow,
    expiry: document.expiry,
    fines: document.fines,
    ...(document.fineLimit !== undefined ? { fineLimit: document.fineLimit } : {}),
    personalName: document.personalName,
    counts: document.counts,
    pin: document.pin,
    ...(document.institution !== undefined ? { institution: document.institution } : {}),
    nameViews: Object.freeze(nameViews),
    carriers: Object.freeze(carriers),
    ...(pseudonymInAA !== undefined ? { pseudonymInAA } : {}),
  });
}

function countingPush(push: Push): { push: Push; count: number } {
  const counter = {
    count: 0,
    push: (path: string, message: string, fix: string): void => {
      counter.count++;
      push(path, message, fix);
    },
  };
  return counter;
}
