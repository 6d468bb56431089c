import { describe, expect, it } from 'vitest';
import { createSsoPatronIds } from '../../../../src/patrons/oidc/sso-patron-id.ts';

const SECRET = Buffer.alloc(32, 0x5a);
const OTHER = Buffer.alloc(32, 0x5b);
const ISSUER = 'https://idp.library.example';

describe('the patron id of a person signed in at the library provider', () => {
  const idOf = createSsoPatronIds(SECRET);

  it('is "sso-" and 32 base32 characters (160 bits), never the raw sub', () => {
    const id = idOf(ISSUER, 'person-1');
    expect(id).toMatch(/^sso-[a-z2-7]{32}$/);
    expect(id).not.toContain('person-1');
  });

  it('is stable per person: the same issuer and sub give the same id (so vendor pseudonyms are stable too)', () => {
    expect(createSsoPatronIds(SECRET)(ISSUER, 'person-1')).toBe(idOf(ISSUER, 'person-1'));
  });

  it.each([
    ['another sub', ISSUER, 'person-2'],
    ['the same sub at another provider', 'https://other-idp.example', 'person-1'],
    ['the boundary moved between issuer and sub (length-prefixed inputs)', `${ISSUER}p`, 'erson-1'],
  ])('differs for %s', (_name, issuer, sub) => {
    expect(idOf(issuer, sub)).not.toBe(idOf(ISSUER, 'person-1'));
  });

  it('differs under another pseudonym secret', () => {
    expect(createSsoPatronIds(OTHER)(ISSUER, 'person-1')).not.toBe(idOf(ISSUER, 'person-1'));
  });

  it('refuses key material shorter than 32 bytes', () => {
    expect(() => createSsoPatronIds(Buffer.alloc(31))).toThrow(new RangeError('the SSO patron id key material must be at least 32 bytes'));
    expect(() => createSsoPatronIds(Buffer.alloc(32))).not.toThrow();
  });
});
