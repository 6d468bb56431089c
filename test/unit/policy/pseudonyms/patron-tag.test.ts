import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPatronTagger, PATRON_TAG_LENGTH } from '../../../../src/policy/pseudonyms/patron-tag.ts';
import { encodeLengthPrefixed } from '../../../../src/policy/pseudonyms/length-prefix.ts';

const KEY = randomBytes(32);
const tagger = createPatronTagger(KEY);

describe('patron tag', () => {
  it('is 8 base64url characters, stable for one patron and vendor', () => {
    const tag = tagger.tag('p-1', 'books');
    expect(tag).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(tag).toHaveLength(PATRON_TAG_LENGTH);
    expect(tagger.tag('p-1', 'books')).toBe(tag);
  });

  it('is HMAC-SHA256, under a key derived by HKDF with its own label, over the length-prefixed (patron, vendor), first 6 bytes', () => {
    const derived = Buffer.from(hkdfSync('sha256', KEY, Buffer.from('patron-privacy-gateway/patron-tag/v1'), Buffer.from('patron-tag'), 32));
    const expected = createHmac('sha256', derived).update(encodeLengthPrefixed(['p-1', 'books'])).digest().subarray(0, 6).toString('base64url');
    expect(tagger.tag('p-1', 'books')).toBe(expected);
    // Not the HMAC under the key material itself: the derivation is there.
    expect(tagger.tag('p-1', 'books')).not.toBe(createHmac('sha256', KEY).update(encodeLengthPrefixed(['p-1', 'books'])).digest().subarray(0, 6).toString('base64url'));
  });

  it.each([
    ['another patron', ['p-2', 'books']],
    ['another vendor', ['p-1', 'films']],
    ['the same characters split differently (length-prefixed)', ['p-1b', 'ooks']],
  ] as const)('differs for %s', (_name, [patron, vendor]) => {
    expect(tagger.tag(patron, vendor)).not.toBe(tagger.tag('p-1', 'books'));
  });

  it('differs under another key (a gateway with other secrets cannot make or read it)', () => {
    expect(createPatronTagger(randomBytes(32)).tag('p-1', 'books')).not.toBe(tagger.tag('p-1', 'books'));
  });

  it('refuses key material shorter than 32 bytes', () => {
    expect(() => createPatronTagger(randomBytes(31))).toThrow(new RangeError('the patron tag key material must be at least 32 bytes'));
    expect(() => createPatronTagger(randomBytes(32))).not.toThrow();
  });
});
