import { describe, expect, it } from 'vitest';
import { matchStaffClaim } from '../../../../src/patrons/oidc/match-staff-claim.ts';

/** 'false', 'null' and '[object Object]' are listed to show such claims are never compared as text. */
const STAFF = { claim: 'groups', values: ['library-staff', '42', 'true', 'false', 'null', '[object Object]'] };

describe('matchStaffClaim', () => {
  it.each([
    ['a list holding a staff value', { groups: ['readers', 'library-staff'] }, true],
    ['a list holding none', { groups: ['readers'] }, false],
    ['an empty list', { groups: [] }, false],
    ['a text equal to a staff value', { groups: 'library-staff' }, true],
    ['a text merely containing one (no substring matches)', { groups: 'not-library-staff' }, false],
    ['a number compared as text', { groups: 42 }, true],
    ['true compared as "true"', { groups: true }, true],
    ['false is never staff, even if "false" were listed', { groups: false }, false],
    ['an object is never staff', { groups: { 'library-staff': true } }, false],
    ['a list of objects is never staff', { groups: [{ name: 'library-staff' }] }, false],
    ['null', { groups: null }, false],
    ['an absent claim', {}, false],
    ['another claim holding the value does not count', { roles: ['library-staff'] }, false],
  ])('%s', (_name, claims, expected) => {
    expect(matchStaffClaim(claims, STAFF)).toBe(expected);
  });

  it('reads a dotted path', () => {
    expect(matchStaffClaim({ realm_access: { roles: ['it'] } }, { claim: 'realm_access.roles', values: ['it'] })).toBe(true);
  });

  it('nobody is staff without a staffClaim setting', () => {
    expect(matchStaffClaim({ groups: ['library-staff'] }, undefined)).toBe(false);
  });
});
