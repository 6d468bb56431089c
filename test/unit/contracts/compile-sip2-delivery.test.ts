import { describe, expect, it } from 'vitest';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { compileSip2Delivery } from '../../../src/contracts/compile-sip2-delivery.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

const FILE = 'vendors/test-vendor.yaml';

/** A sip2 contract: no upstream, pseudonymous by default; overrides replace top-level keys. */
function sip2Yaml(overrides: Record<string, string> = {}): string {
  return contractYaml({ upstream: '', identity: 'identity: { delivery: sip2 }', ...overrides });
}

describe('sip2 delivery: validation refuses what SIP2 cannot carry, naming file, dotted path, what and how to fix', () => {
  it.each([
    ['an upstream (the vendor connects to the mediator; there is nothing to forward to)', { upstream: 'upstream: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1] }' }, 'upstream', /no upstream to forward to/, /sip2Mediator.vendors/],
    ['a name mapped to another field than AE', { identity: 'identity: { delivery: sip2, names: { firstName: XN } }', fields: 'fields: { firstName: { action: pass } }' }, 'identity.names.firstName', /goes in AE/, /remove identity.names.firstName/],
    ['a list value (consents) in a single-valued field', { identity: 'identity: { delivery: sip2, names: { consents: XC } }', fields: 'fields: { consents: { action: pass } }' }, 'fields.consents', /is a list/, /drop consents/],
    ['a generalization with no standard SIP2 field and no names entry', { fields: 'fields: { birthDate: { action: generalize, to: ageBand } }' }, 'fields.birthDate', /no standard field for birthDate \(generalize to ageBand\)/, /identity.names/],
    ['a field id that is not two upper-case characters', { identity: 'identity: { delivery: sip2, names: { sub: xi } }', fields: 'fields: { patronId: { action: pseudonymize } }' }, 'identity.names.sub', /not a SIP2 field id/, /two upper-case/],
    ['a field id of three letters', { identity: 'identity: { delivery: sip2, names: { sub: XIX } }' }, 'identity.names.sub', /not a SIP2 field id/, /XI or PZ/],
    ['the PIN field as a carrier', { identity: 'identity: { delivery: sip2, names: { email: AD } }', fields: 'fields: { email: { action: pass } }' }, 'identity.names.email', /AD is the patron PIN/, /name another field/],
    ['a reading-history list field as a carrier', { identity: 'identity: { delivery: sip2, names: { ageBand: AU } }', fields: 'fields: { birthDate: { action: generalize, to: ageBand } }' }, 'identity.names.ageBand', /AU is the charged items list \(reading history\)/, /name another field/],
    ['the screen message as a carrier', { identity: 'identity: { delivery: sip2, names: { city: AF } }', fields: 'fields: { address.city: { action: pass } }' }, 'identity.names.city', /AF is the screen message/, /name another field/],
    ['BL as a carrier', { identity: 'identity: { delivery: sip2, names: { isMinor: BL } }', fields: 'fields: { birthDate: { action: generalize, to: isMinor } }' }, 'identity.names.isMinor', /BL is valid patron/, /name another field/],
    ['a passed value in AA (AA echoes what the vendor sent)', { identity: 'identity: { delivery: sip2, names: { email: AA } }', fields: 'fields: { email: { action: pass } }' }, 'identity.names.email', /only a pseudonym may replace it/, /another field, such as XI/],
    ['two values in one field', { identity: 'identity: { delivery: sip2, names: { email: XE, phone: XE } }', fields: 'fields: { email: { action: pass }, phone: { action: pass } }' }, 'identity.names.phone', /XE already carries email/, /its own SIP2 field/],
    ['a pseudonym in the default field of another value', { identity: 'identity: { delivery: sip2, names: { sub: PC } }', fields: 'fields: { patronId: { action: pseudonymize }, patronType: { action: pass } }' }, 'identity.names.patronType', /PC already carries patronId/, /own SIP2 field/],
    ['fines cannot-borrow without a limit', { identity: 'identity: { delivery: sip2, sip2: { fines: cannot-borrow } }' }, 'identity.sip2.fineLimit', /needs the limit/, /add fineLimit/],
    ['a fine limit with fines withheld', { identity: 'identity: { delivery: sip2, sip2: { fineLimit: 5 } }' }, 'identity.sip2.fineLimit', /only applies to fines: cannot-borrow \(this is withhold\)/, /remove fineLimit/],
    ['a personal name with the field delimiter', { identity: 'identity: { delivery: sip2, sip2: { personalName: "Library|Patron" } }' }, 'identity.sip2.personalName', /cannot carry/, /plain ASCII/],
    ['a personal name with a line break', { identity: 'identity: { delivery: sip2, sip2: { personalName: "Library\\rPatron" } }' }, 'identity.sip2.personalName', /cannot carry/, /plain ASCII/],
    ['a personal name that can never be used because names are released', { identity: 'identity: { delivery: sip2, sip2: { personalName: Patron } }', fields: 'fields: { firstName: { action: pass } }' }, 'identity.sip2.personalName', /never be used/, /remove personalName/],
    ['an unknown status flag', { identity: 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied, overdrawn] } }' }, 'identity.sip2.statusFlags[1]', /not one of the allowed values/, /"chargeDenied"/],
    ['a status flag listed twice', { identity: 'identity: { delivery: sip2, sip2: { statusFlags: [cardLost, cardLost] } }' }, 'identity.sip2.statusFlags[1]', /listed twice/, /once/],
    ['an unknown key in identity.sip2', { identity: 'identity: { delivery: sip2, sip2: { loans: pass } }' }, 'identity.sip2.loans', /unknown key/, /statusFlags/],
    ['an unknown expiry form', { identity: 'identity: { delivery: sip2, sip2: { expiry: pass } }' }, 'identity.sip2.expiry', /not one of the allowed values/, /"withhold", "cannot-borrow" or "date"/],
    ['identity.sip2 on another delivery', { upstream: 'upstream: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1] }', identity: 'identity: { delivery: jwt, sip2: { counts: zeros } }' }, 'identity.sip2', /only applies to sip2 delivery \(this is jwt\)/, /set identity.delivery: sip2/],
    ['sip2 delivery for a grant', { kind: 'kind: grant', fields: '', report: 'report: { dimensions: [{ name: a, from: branch, generalize: none }], measures: [participants] }' }, 'identity.delivery', /grant has no patrons/, /none or jwt/],
  ])('%s', (_name, overrides, path, message, fix) => {
    const result = compileContractText(FILE, sip2Yaml(overrides), { signingKeyConfigured: true });
    expect(result.contract).toBeUndefined();
    const match = result.problems.find((p) => p.path === path);
    expect(match, `no problem at ${path}; got ${result.problems.map(formatProblem).join(' | ')}`).toBeDefined();
    expect(match?.file).toBe(FILE);
    expect(match?.message).toMatch(message);
    expect(match?.fix).toMatch(fix);
  });
});

describe('sip2 delivery: a valid contract compiles to what each answer needs', () => {
  it('defaults withhold everything: no flags, empty AE, blank counts, PIN optional, AO echoed, the pseudonym in XI', () => {
    const contract = compileOrThrow(sip2Yaml());
    // Strict: no key for what is not set (fineLimit, institution, pseudonymInAA).
    expect(contract.identity.sip2).toStrictEqual({
      statusPositions: [],
      cannotBorrow: false,
      expiry: 'withhold',
      fines: 'withhold',
      personalName: '',
      counts: 'blank',
      pin: 'optional',
      nameViews: [],
      carriers: [{ view: 'sub', fieldId: 'XI', format: 'text' }],
    });
    expect(contract.upstream).toBeUndefined();
  });

  it.each([
    ['flags by name become positions in wire order', 'identity: { delivery: sip2, sip2: { statusFlags: [cardLost, chargeDenied, renewalDenied] } }', 'fields: {}', { statusPositions: [0, 1, 4] }],
    ['a pseudonym in AA replaces the echo and carries nothing else', 'identity: { delivery: sip2, names: { sub: AA } }', 'fields: { patronId: { action: pseudonymize } }', { pseudonymInAA: 'sub', carriers: [] }],
    ['passed names fill AE, first before last whatever the order written', 'identity: { delivery: sip2 }', 'fields: { lastName: { action: pass }, firstName: { action: pass } }', { nameViews: ['firstName', 'lastName'] }],
    ['standard carriers for passed fields (reference 10.4), birth date written YYYYMMDD', 'identity: { delivery: sip2 }', 'fields: { email: { action: pass }, birthDate: { action: pass }, patronType: { action: pass }, homeBranch: { action: pass } }', { carriers: [{ view: 'email', fieldId: 'BE', format: 'text' }, { view: 'birthDate', fieldId: 'PB', format: 'date' }, { view: 'patronType', fieldId: 'PC', format: 'text' }, { view: 'homeBranch', fieldId: 'AQ', format: 'text' }] }],
    ['names may say AE for a name explicitly', 'identity: { delivery: sip2, names: { firstName: AE } }', 'fields: { firstName: { action: pass } }', { nameViews: ['firstName'], carriers: [] }],
    ['a birth year in a named field is text, not a date', 'identity: { delivery: sip2, names: { birthYear: XB } }', 'fields: { birthDate: { action: generalize, to: birthYear } }', { carriers: [{ view: 'birthYear', fieldId: 'XB', format: 'text' }] }],
    ['a generalization in the vendor-agreed field the contract names', 'identity: { delivery: sip2, names: { postalCode3: PZ } }', 'fields: { address.postalCode: { action: generalize, to: postalCode3 } }', { carriers: [{ view: 'postalCode3', fieldId: 'PZ', format: 'text' }] }],
    ['fines generalized with a limit, zero counts, PIN required, a fixed AO and neutral name', 'identity: { delivery: sip2, sip2: { fines: cannot-borrow, fineLimit: 10, counts: zeros, pin: required, institution: westport, personalName: Library Patron } }', 'fields: {}', { fines: 'cannot-borrow', fineLimit: 10, counts: 'zeros', pin: 'required', institution: 'westport', personalName: 'Library Patron' }],
  ])('%s', (_name, identity, fields, expected) => {
    const contract = compileOrThrow(sip2Yaml({ identity, fields }));
    expect(contract.identity.sip2).toMatchObject(expected);
  });

  it('compileSip2Delivery itself gives nothing back once it has pushed a problem', () => {
    const pushed: string[] = [];
    const rule = compileOrThrow(sip2Yaml({ fields: 'fields: { email: { action: pass } }' })).rules.find((r) => r.field === 'email');
    if (!rule) throw new Error('no rule');
    const compiled = compileSip2Delivery({ sip2: undefined, names: { email: 'AD' }, released: [rule] }, (path) => pushed.push(path));
    expect(pushed).toEqual(['identity.names.email']);
    expect(compiled).toBeUndefined();
  });

  it('only sip2 delivery has a compiled sip2 part', () => {
    expect(compileOrThrow(contractYaml()).identity.sip2).toBeUndefined();
  });
});
