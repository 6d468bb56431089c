import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBase32 } from '../../../../src/policy/pseudonyms/base32.ts';
import { encodeLengthPrefixed } from '../../../../src/policy/pseudonyms/length-prefix.ts';
import { computePseudonym, createPseudonymKeys, deriveVendorKey } from '../../../../src/policy/pseudonyms/pseudonym-keys.ts';
import { TEST_MASTER_SECRET } from '../../../helpers/contracts.ts';

/** The same construction through WebCrypto, written independently of the gateway's code. */
async function independentPseudonym(master: Uint8Array, vendor: string, epoch: number, patronId: string): Promise<string> {
  const lp = (parts: string[]): Uint8Array => {
    const chunks = parts.map((p) => new TextEncoder().encode(p));
    const out = new Uint8Array(chunks.reduce((n, c) => n + 4 + c.length, 0));
    const view = new DataView(out.buffer);
    let o = 0;
    for (const c of chunks) {
      view.setUint32(o, c.length);
      out.set(c, o + 4);
      o += 4 + c.length;
    }
    return out;
  };
  const ikm = await webcrypto.subtle.importKey('raw', master, 'HKDF', false, ['deriveBits']);
  const bits = await webcrypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('patron-privacy-gateway/pseudonym/v1'), info: lp([vendor, String(epoch)]) },
    ikm,
    256,
  );
  const key = await webcrypto.subtle.importKey('raw', bits, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await webcrypto.subtle.sign('HMAC', key, lp([vendor, patronId])));
  // base32 by the RFC's 40-bit groups.
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bitsString = '';
  for (const b of mac.slice(0, 20)) bitsString += b.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bitsString.length; i += 5) out += alphabet[parseInt(bitsString.slice(i, i + 5), 2)];
  return out;
}

describe('pseudonyms', () => {
  const keys = createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: 1 });

  it.each([
    ['ebooks-demo', 'p-0001', 'qvrsrr34glfqqaogeng7ifyacszf7hkp'],
    ['streaming-demo', 'p-0001', 'xfkye52rbyckwvuf3eovb7wnfaz3dvvx'],
    ['ebooks-demo', 'p-0002', 'gx6objrlboypgqmb4256yyvuhzmg2vrj'],
  ])('pins the known vector for vendor %s and patron %s', (vendor, patron, expected) => {
    expect(keys.pseudonymize(vendor, patron)).toBe(expected);
  });

  it('matches an independent WebCrypto implementation of HKDF + HMAC + base32', async () => {
    for (const [vendor, patron] of [['ebooks-demo', 'p-0001'], ['v', 'ünïcødé-id'], ['a-b', '']] as const) {
      expect(keys.pseudonymize(vendor, patron)).toBe(await independentPseudonym(TEST_MASTER_SECRET, vendor, 1, patron));
    }
  });

  it('is 160 bits of lower-case base32 (32 characters)', () => {
    expect(keys.pseudonymize('ebooks-demo', 'p-0001')).toMatch(/^[a-z2-7]{32}$/);
  });

  it('gives different vendors different pseudonyms for the same patron', () => {
    const seen = new Set(['a', 'b', 'c', 'ebooks-demo', 'streaming-demo'].map((v) => keys.pseudonymize(v, 'p-0001')));
    expect(seen.size).toBe(5);
  });

  it('is stable for one patron and vendor, with or without the key cache', () => {
    const uncached = createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: 1, cacheSize: 0 });
    expect(uncached.pseudonymize('ebooks-demo', 'p-0001')).toBe(keys.pseudonymize('ebooks-demo', 'p-0001'));
    expect(keys.pseudonymize('ebooks-demo', 'p-0001')).toBe(keys.pseudonymize('ebooks-demo', 'p-0001'));
  });

  it('changes every pseudonym when the key epoch changes (rotation)', () => {
    const next = createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: 2 });
    expect(next.pseudonymize('ebooks-demo', 'p-0001')).not.toBe(keys.pseudonymize('ebooks-demo', 'p-0001'));
  });

  it('cannot collide across the boundary between inputs: ("ab","c") and ("a","bc")', () => {
    expect(encodeLengthPrefixed(['ab', 'c']).equals(encodeLengthPrefixed(['a', 'bc']))).toBe(false);
    const key = deriveVendorKey(TEST_MASTER_SECRET, 'x', 1);
    expect(computePseudonym(key, 'ab', 'c')).not.toBe(computePseudonym(key, 'a', 'bc'));
  });

  it.each([
    ['a master secret shorter than 32 bytes', { masterSecret: Buffer.alloc(31), epoch: 1 }, /at least 32 bytes/],
    ['epoch 0', { masterSecret: TEST_MASTER_SECRET, epoch: 0 }, /epoch/],
    ['a fractional epoch', { masterSecret: TEST_MASTER_SECRET, epoch: 1.5 }, /epoch/],
  ])('refuses %s', (_name, options, message) => {
    expect(() => createPseudonymKeys(options)).toThrow(message);
  });
});

describe('base32', () => {
  it.each([
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ])('encodes the RFC 4648 test vector %j as %j (lower case, no padding)', (input, expected) => {
    expect(encodeBase32(Buffer.from(input))).toBe(expected);
  });
});
