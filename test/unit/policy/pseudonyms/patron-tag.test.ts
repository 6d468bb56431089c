import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPatronTagger, derivePatronTagKey, MIN_PATRON_TAG_KEY_BYTES, PATRON_TAG_LENGTH } from '../../../../src/policy/pseudonyms/patron-tag.ts';
import { encodeLengthPrefixed } from '../../../../src/policy/pseudonyms/length-prefix.ts';

const KEY = Buffer.alloc(32, 3);

describe('createPatronTagger', () => {
  it('a tag is 8 base64url characters of HMAC-SHA256 over the length-prefixed patron and vendor', () => {
    const tag = createPatronTagger(KEY).tag('p-1', 'books');
    expect(tag).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(tag).toHaveLength(PATRON_TAG_LENGTH);
    expect(tag).toBe(createHmac('sha256', KEY).update(encodeLengthPrefixed(['p-1', 'books'])).digest().subarray(0, 6).toString('base64url'));
  });

  it.each([
    ['another patron at the same vendor', 'p-2', 'books'],
    ['the same patron at another vendor', 'p-1', 'films'],
    ['the same characters split differently (length-prefixed inputs)', 'p-1b', 'ooks'],
  ])('differs for %s', (_name, patronId, vendorId) => {
    const tagger = createPatronTagger(KEY);
    expect(tagger.tag(patronId, vendorId)).not.toBe(tagger.tag('p-1', 'books'));
  });

  it('is stable (remembered or not) and depends on the key', () => {
    const tagger = createPatronTagger(KEY, { cacheSize: 1 });
    const first = tagger.tag('p-1', 'books');
    tagger.tag('p-2', 'books');
    expect(tagger.tag('p-1', 'books')).toBe(first);
    expect(tagger.tag('p-1', 'books')).toBe(first);
    expect(createPatronTagger(Buffer.alloc(32, 4)).tag('p-1', 'books')).not.toBe(first);
  });

  it('refuses a key shorter than 256 bits, accepts exactly 256', () => {
    expect(() => createPatronTagger(Buffer.alloc(MIN_PATRON_TAG_KEY_BYTES - 1))).toThrow(/at least 32 bytes/);
    expect(() => createPatronTagger(Buffer.alloc(MIN_PATRON_TAG_KEY_BYTES))).not.toThrow();
  });

  it('the key is copied: changing the caller\'s buffer afterwards changes nothing', () => {
    const key = Buffer.alloc(32, 3);
    const tagger = createPatronTagger(key);
    key.fill(9);
    expect(tagger.tag('p-9', 'books')).toBe(createPatronTagger(KEY).tag('p-9', 'books'));
  });
});

describe('derivePatronTagKey', () => {
  it('derives 32 bytes of its own from a secret (not the secret, different per secret)', () => {
    const key = derivePatronTagKey(KEY);
    expect(key).toHaveLength(32);
    expect(key.equals(KEY)).toBe(false);
    expect(derivePatronTagKey(Buffer.alloc(32, 4)).equals(key)).toBe(false);
    expect(derivePatronTagKey(KEY).equals(key)).toBe(true);
  });
});
