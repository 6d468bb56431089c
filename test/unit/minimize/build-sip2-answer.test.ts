import { describe, expect, it } from 'vitest';
import { buildSip2Answer, type Sip2AnswerRequest } from '../../../src/minimize/build-sip2-answer.ts';
import { minimize } from '../../../src/minimize/minimize.ts';
import type { Patron } from '../../../src/policy/patron.ts';
import type { Sip2Account } from '../../../src/policy/sip2/sip2-account.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from '../../helpers/contracts.ts';

const keys = createTestKeys();
/** Canary values: none may appear in an answer unless the contract releases that field. */
const PATRON: Patron = {
  patronId: 'canary-internal-4411',
  barcode: 'canary-barcode-4411',
  firstName: 'Canaryfirst',
  lastName: 'Canarylast',
  email: 'canary4411@example.org',
  phone: '(519) 555 4411',
  address: { street: '4411 Canary Road', city: 'Canaryville', state: 'CA', postalCode: '94110' },
  birthDate: '1964-09-25',
  patronType: 'adult',
  homeBranch: 'canarybranch',
};
const ACCOUNT: Sip2Account = { valid: true, pinValid: true, statusFlags: 'YYYYYYYYYYYYYY', expires: '2050-12-31', feeAmount: 12.5, currency: 'USD' };
const REQUEST: Sip2AnswerRequest = { kind: '64', institution: 'UWOLS', patronIdentifier: 'typed-by-vendor', language: '001', pinSent: true };

function sip2Contract(identity: string, fields = 'fields: {}', minors = 'minors: { under13: block }') {
  return compileOrThrow(contractYaml({ upstream: '', identity, fields, minors }));
}

function answer(identity: string, fields?: string, account: Sip2Account = ACCOUNT, request: Sip2AnswerRequest = REQUEST, patron: Patron = PATRON) {
  const contract = sip2Contract(identity, fields);
  const delivery = contract.identity.sip2;
  if (!delivery) throw new Error('not a sip2 contract');
  return buildSip2Answer(request, account, minimize(patron, contract, keys, NOW), delivery, NOW);
}

const ids = (fields: ReadonlyArray<readonly [string, string]>) => fields.map(([id]) => id);

describe('buildSip2Answer: a fresh answer carries only what the contract releases', () => {
  it('an empty contract: AO, the vendor’s own AA, AE empty, BL, CQ; no flag, no value of the patron', () => {
    const out = answer('identity: { delivery: sip2 }');
    expect(out.fields).toEqual([
      ['AO', 'UWOLS'],
      ['AA', 'typed-by-vendor'],
      ['AE', ''],
      ['BL', 'Y'],
      ['CQ', 'Y'],
    ]);
    expect(out.patronStatus).toBe(' '.repeat(14));
    expect(out.code).toBe('64');
    expect(out.language).toBe('001');
    expect(out.transactionDate).toBe(NOW);
    expect(out.count).toBe('    ');
    expect(JSON.stringify(out)).not.toMatch(/canary/i);
  });

  it.each([
    ['status flags pass only at the positions the contract lists', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied, renewalDenied, cardLost] } }', 'YY  Y         '],
    ['an ILS flag left blank stays blank even when allowed', 'identity: { delivery: sip2, sip2: { statusFlags: [recallDenied] } }', '              ', { statusFlags: 'YY            ' }],
    ['cannotBorrow sets position 0 from any blocking flag (here: excessive fines) without showing which', 'identity: { delivery: sip2, sip2: { cannotBorrow: true } }', 'Y             ', { statusFlags: '          Y   ' }],
    ['cannotBorrow ignores flags that do not block borrowing (renewal, recall, hold denied)', 'identity: { delivery: sip2, sip2: { cannotBorrow: true } }', '              ', { statusFlags: ' YYY          ' }],
    ['expiry cannot-borrow: an expired card sets position 0', 'identity: { delivery: sip2, sip2: { expiry: cannot-borrow } }', 'Y             ', { statusFlags: ' '.repeat(14), expires: '2026-11-28' }],
    ['an expired card does not set position 0 when expiry is withheld', 'identity: { delivery: sip2 }', '              ', { statusFlags: ' '.repeat(14), expires: '2000-01-01' }],
    ['expiry cannot-borrow: a card valid today does not', 'identity: { delivery: sip2, sip2: { expiry: cannot-borrow } }', '              ', { statusFlags: ' '.repeat(14), expires: '2026-11-29' }],
    ['fines cannot-borrow: over the limit sets position 0', 'identity: { delivery: sip2, sip2: { fines: cannot-borrow, fineLimit: 10 } }', 'Y             ', { statusFlags: ' '.repeat(14), feeAmount: 10.01 }],
    ['fines cannot-borrow: at the limit does not', 'identity: { delivery: sip2, sip2: { fines: cannot-borrow, fineLimit: 10 } }', '              ', { statusFlags: ' '.repeat(14), feeAmount: 10 }],
    ['fines cannot-borrow: no amount from the ILS does not', 'identity: { delivery: sip2, sip2: { fines: cannot-borrow, fineLimit: 0 } }', '              ', { statusFlags: ' '.repeat(14), feeAmount: undefined }],
  ])('%s', (_name, identity, status, account: Partial<Sip2Account> = {}) => {
    const merged = { ...ACCOUNT, ...account } as Sip2Account;
    const out = answer(identity, undefined, merged);
    expect(out.patronStatus).toBe(status);
    expect(out.patronStatus).toHaveLength(14);
    expect(ids(out.fields)).toEqual(['AO', 'AA', 'AE', 'BL', 'CQ']);
  });

  it.each([
    ['an ILS flag set at position 0 and allowed stays set with nothing else to add', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied], cannotBorrow: true } }', [], {}, 'Y             '],
    ['expiry date: PA as YYYYMMDD', 'identity: { delivery: sip2, sip2: { expiry: date } }', [['PA', '20501231']]],
    ['fines amount: BH and BV', 'identity: { delivery: sip2, sip2: { fines: amount } }', [['BH', 'USD'], ['BV', '12.50']]],
    ['fines amount without a currency from the ILS: BV alone', 'identity: { delivery: sip2, sip2: { fines: amount } }', [['BV', '12.50']], { currency: undefined }],
    ['fines amount when the ILS gives none: nothing', 'identity: { delivery: sip2, sip2: { fines: amount } }', [], { feeAmount: undefined }],
    ['expiry date when the ILS gives none: nothing', 'identity: { delivery: sip2, sip2: { expiry: date } }', [], { expires: undefined }],
  ])('%s', (_name, identity, extra, account: Partial<Sip2Account> = {}, status?: string) => {
    const out = answer(identity, undefined, { ...ACCOUNT, ...account } as Sip2Account);
    expect(out.fields.slice(5)).toEqual(extra);
    if (status !== undefined) expect(out.patronStatus).toBe(status);
  });

  it.each([
    ['the pseudonym in XI (default)', 'identity: { delivery: sip2 }', 'fields: { patronId: { action: pseudonymize } }', (f: Map<string, string>) => expect(f.get('XI')).toMatch(/^[a-z2-7]{32}$/)],
    ['the pseudonym in AA replaces the echo', 'identity: { delivery: sip2, names: { sub: AA } }', 'fields: { patronId: { action: pseudonymize } }', (f: Map<string, string>) => expect(f.get('AA')).toMatch(/^[a-z2-7]{32}$/)],
    ['first name only in AE', 'identity: { delivery: sip2 }', 'fields: { firstName: { action: pass } }', (f: Map<string, string>) => expect(f.get('AE')).toBe('Canaryfirst')],
    ['both names in AE, first then last', 'identity: { delivery: sip2 }', 'fields: { firstName: { action: pass }, lastName: { action: pass } }', (f: Map<string, string>) => expect(f.get('AE')).toBe('Canaryfirst Canarylast')],
    ['both names released, the patron has only a first name: AE is that name alone', 'identity: { delivery: sip2 }', 'fields: { firstName: { action: pass }, lastName: { action: pass } }', (f: Map<string, string>) => expect(f.get('AE')).toBe('Canaryfirst'), { lastName: undefined }],
    ['a passed phone keeps its dashes (only a passed birth date is rewritten YYYYMMDD)', 'identity: { delivery: sip2 }', 'fields: { phone: { action: pass } }', (f: Map<string, string>) => expect(f.get('BF')).toBe('519-555-4411'), { phone: '519-555-4411' }],
    ['a neutral fixed name when none is released', 'identity: { delivery: sip2, sip2: { personalName: Library Patron } }', 'fields: {}', (f: Map<string, string>) => expect(f.get('AE')).toBe('Library Patron')],
    ['birth date passed in PB as YYYYMMDD', 'identity: { delivery: sip2 }', 'fields: { birthDate: { action: pass } }', (f: Map<string, string>) => expect(f.get('PB')).toBe('19640925')],
    ['a boolean generalization as Y/N', 'identity: { delivery: sip2, names: { isMinor: XM } }', 'fields: { birthDate: { action: generalize, to: isMinor } }', (f: Map<string, string>) => expect(f.get('XM')).toBe('N')],
    ['postal code prefix in the field the contract names', 'identity: { delivery: sip2, names: { postalCode3: PZ } }', 'fields: { address.postalCode: { action: generalize, to: postalCode3 } }', (f: Map<string, string>) => expect(f.get('PZ')).toBe('941')],
    ['a fixed AO replaces the vendor’s', 'identity: { delivery: sip2, sip2: { institution: westport } }', 'fields: {}', (f: Map<string, string>) => expect(f.get('AO')).toBe('westport')],
  ])('%s', (_name, identity, fields, check, patron: Partial<Patron> = {}) => {
    const out = answer(identity, fields, ACCOUNT, REQUEST, { ...PATRON, ...patron } as Patron);
    check(new Map(out.fields));
    expect(JSON.stringify(out.fields)).not.toMatch(/canary-internal|canary-barcode|canary4411|Canary Road/);
  });

  it('CQ only when the vendor sent a PIN, and only when the ILS checked one', () => {
    expect(ids(answer('identity: { delivery: sip2 }', undefined, ACCOUNT, { ...REQUEST, pinSent: false }).fields)).not.toContain('CQ');
    expect(ids(answer('identity: { delivery: sip2 }', undefined, { ...ACCOUNT, pinValid: undefined } as Sip2Account).fields)).not.toContain('CQ');
    expect(new Map(answer('identity: { delivery: sip2 }', undefined, { ...ACCOUNT, pinValid: false }).fields).get('CQ')).toBe('N');
  });

  it.each([
    ['a pseudonym in AA and a passed e-mail', "identity: { delivery: sip2, names: { sub: AA }, sip2: { statusFlags: [chargeDenied, cardLost], expiry: date, fines: amount } }", 'fields: { patronId: { action: pseudonymize, as: sub }, email: { action: pass } }', 'AE'],
    ['both names in AE and the age group', "identity: { delivery: sip2, names: { ageBand: PZ }, sip2: { statusFlags: [chargeDenied], cannotBorrow: true, expiry: cannot-borrow } }", 'fields: { firstName: { action: pass }, lastName: { action: pass }, birthDate: { action: generalize, to: ageBand } }', 'PZ'],
  ])('a wrong PIN releases nothing about the card (%s): a barcode alone must not buy a pseudonym, a name or a flag', (_name, identity, fields) => {
    const out = answer(identity, fields, { ...ACCOUNT, pinValid: false });
    expect(out.fields).toEqual([
      ['AO', 'UWOLS'],
      ['AA', 'typed-by-vendor'],
      ['AE', ''],
      ['BL', 'Y'],
      ['CQ', 'N'],
    ]);
    expect(out.patronStatus).toBe(' '.repeat(14));
    // The same lookup with the right PIN does release: the difference is the PIN alone.
    const right = answer(identity, fields, ACCOUNT);
    expect(right.fields.length).toBeGreaterThan(5);
    expect(right.patronStatus).toMatch(/^Y/);
  });

  it('an unknown card: BL N, allowed flags as the ILS set them, no released value, no expiry or fines', () => {
    const out = answer('identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied], expiry: date, fines: amount, cannotBorrow: true } }', 'fields: { email: { action: pass } }', { valid: false, statusFlags: 'YYYY          ', expires: '2000-01-01', feeAmount: 3 }, REQUEST, { patronId: 'x' });
    expect(out.fields).toEqual([
      ['AO', 'UWOLS'],
      ['AA', 'typed-by-vendor'],
      ['AE', ''],
      ['BL', 'N'],
    ]);
    expect(out.patronStatus).toBe('Y             ');
  });

  it('a minor the contract blocks: charge privileges denied and no released value', () => {
    const child: Patron = { ...PATRON, birthDate: '2020-01-01' };
    const out = answer('identity: { delivery: sip2 }', 'fields: { patronId: { action: pseudonymize }, email: { action: pass } }', ACCOUNT, REQUEST, child);
    expect(out.patronStatus).toBe('Y             ');
    expect(ids(out.fields)).toEqual(['AO', 'AA', 'AE', 'BL', 'CQ']);
  });

  it('zero counts when the contract asks for them, for strict clients', () => {
    expect(answer('identity: { delivery: sip2, sip2: { counts: zeros } }').count).toBe('0000');
  });

  it('a 24 answers a 23', () => {
    expect(answer('identity: { delivery: sip2 }', undefined, ACCOUNT, { ...REQUEST, kind: '24' }).code).toBe('24');
  });

  it.each([
    ['a field delimiter', 'Ann|XAinjected', 'Ann XAinjected'],
    ['a carriage return (ends a message)', 'Ann\r99', 'Ann 99'],
    ['a line feed', 'Ann\nB', 'Ann B'],
    ['more than 255 characters', 'a'.repeat(300), 'a'.repeat(255)],
  ])('a released value with %s cannot break the framing', (_name, firstName, written) => {
    const out = answer('identity: { delivery: sip2 }', 'fields: { firstName: { action: pass } }', ACCOUNT, REQUEST, { ...PATRON, firstName });
    expect(new Map(out.fields).get('AE')).toBe(written);
  });
});
