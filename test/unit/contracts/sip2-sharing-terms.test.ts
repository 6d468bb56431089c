import { describe, expect, it } from 'vitest';
import { diffContracts } from '../../../src/contracts/diff-contracts.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

const sip2 = (options: string, fields = 'fields: { patronId: { action: pseudonymize } }') => compileOrThrow(contractYaml({ upstream: '', identity: `identity: { delivery: sip2, sip2: { ${options} } }`, fields }));

describe('sip2 sharing terms: what a change to identity.sip2 means for patrons', () => {
  it.each([
    ['a status flag added widens', 'statusFlags: [chargeDenied]', 'statusFlags: [chargeDenied, cardLost]', 'identity.sip2.statusFlags', 'wider', /cardLost/],
    ['a status flag removed narrows', 'statusFlags: [chargeDenied, cardLost]', 'statusFlags: [cardLost]', 'identity.sip2.statusFlags', 'narrower', /fewer status flags/],
    ['the same flags written in another order change nothing', 'statusFlags: [cardLost, chargeDenied]', 'statusFlags: [chargeDenied, cardLost]', undefined, undefined, /./],
    ['cannotBorrow switched on widens', 'cannotBorrow: false', 'cannotBorrow: true', 'identity.sip2.cannotBorrow', 'wider', /may borrow/],
    ['cannotBorrow switched off narrows', 'cannotBorrow: true', 'cannotBorrow: false', 'identity.sip2.cannotBorrow', 'narrower', /no longer/],
    ['expiry from withheld to the date widens', 'expiry: withhold', 'expiry: date', 'identity.sip2.expiry', 'wider', /date/],
    ['expiry from the date to cannot-borrow narrows', 'expiry: date', 'expiry: cannot-borrow', 'identity.sip2.expiry', 'narrower', /cannot-borrow/],
    ['fines from cannot-borrow to the amount widens', 'fines: cannot-borrow, fineLimit: 5', 'fines: amount', 'identity.sip2.fines', 'wider', /amount/],
    ['a new fine limit is listed (neutral)', 'fines: cannot-borrow, fineLimit: 5', 'fines: cannot-borrow, fineLimit: 10', 'identity.sip2.fines', 'neutral', /cannot-borrow/],
    ['a PIN no longer required widens', 'pin: required', 'pin: optional', 'identity.sip2.pin', 'wider', /without the PIN will be answered/],
    ['a PIN required narrows', 'pin: optional', 'pin: required', 'identity.sip2.pin', 'narrower', /no answer/],
    ['counts and the neutral name are not sharing terms', 'counts: blank', 'counts: zeros, personalName: Patron', undefined, undefined, /./],
  ])('%s', (_name, before, after, path, direction, meaning) => {
    const diff = diffContracts(sip2(before), sip2(after));
    if (path === undefined) {
      expect(diff.changes).toEqual([]);
      return;
    }
    const change = diff.changes.find((c) => c.path === path);
    expect(change?.direction).toBe(direction);
    expect(change?.meaning).toMatch(meaning);
    expect(diff.noticeVersionChanged).toBe(true);
  });

  it('from jwt to sip2: the sip2 terms appear (from "(none)")', () => {
    const jwt = compileOrThrow(contractYaml());
    const diff = diffContracts(jwt, sip2('statusFlags: [cardLost], pin: required'));
    expect(diff.changes.find((c) => c.path === 'identity.sip2.statusFlags')).toMatchObject({ before: '(none)', after: 'cardLost', direction: 'wider' });
    expect(diff.changes.find((c) => c.path === 'identity.sip2.pin')).toMatchObject({ before: '(none)', after: 'required', direction: 'narrower' });
  });

  it('from sip2 back to jwt: each sip2 term goes to "(none)" and narrows, naming what the vendor loses', () => {
    const before = sip2('statusFlags: [cardLost], cannotBorrow: true, expiry: date, fines: cannot-borrow, fineLimit: 5, pin: optional');
    const diff = diffContracts(before, compileOrThrow(contractYaml()));
    const byPath = new Map(diff.changes.map((c) => [c.path, c]));
    expect(byPath.get('identity.sip2.statusFlags')).toMatchObject({ before: 'cardLost', after: '(none)', direction: 'narrower' });
    expect(byPath.get('identity.sip2.cannotBorrow')).toMatchObject({ before: 'true', after: '(none)', direction: 'narrower', meaning: 'the vendor will no longer see whether the patron may borrow' });
    expect(byPath.get('identity.sip2.expiry')).toMatchObject({ before: 'date', after: '(none)', direction: 'narrower', meaning: "the card's expiry: withhold" });
    expect(byPath.get('identity.sip2.fines')).toMatchObject({ before: 'cannot-borrow above 5', after: '(none)', direction: 'narrower', meaning: "the patron's fines: withhold" });
    expect(byPath.get('identity.sip2.pin')).toMatchObject({ before: 'optional', after: '(none)', direction: 'narrower', meaning: 'the vendor no longer looks patrons up over SIP2' });
  });
});
