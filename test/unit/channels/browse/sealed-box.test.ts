import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealedBox } from '../../../../src/channels/browse/sealed-box.ts';

describe('sealed boxes', () => {
  const secret = randomBytes(32);
  const box = createSealedBox(secret, 'purpose-a');
  const sealed = box.seal('payload with ñ', 'host-a');

  it('opens under the same key and context, and hides the plaintext', () => {
    expect(box.open(sealed, 'host-a')).toBe('payload with ñ');
    expect(sealed).not.toContain('payload');
    expect(sealed.split('.')).toHaveLength(3);
  });

  it('opens boxes up to 8192 characters and nothing longer', () => {
    const fits = box.seal('x'.repeat(6000), 'c');
    expect(fits.length).toBeLessThanOrEqual(8192);
    expect(box.open(fits, 'c')).toBe('x'.repeat(6000));
    const long = box.seal('x'.repeat(6200), 'c');
    expect(long.length).toBeGreaterThan(8192);
    expect(box.open(long, 'c')).toBeUndefined();
  });

  it('two seals of one plaintext differ (a fresh nonce each time)', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  const refused: Array<[string, () => string | undefined]> = [
    ['another context (another origin)', () => box.open(sealed, 'host-b')],
    ['another purpose (another key)', () => createSealedBox(secret, 'purpose-b').open(sealed, 'host-a')],
    ['another secret', () => createSealedBox(randomBytes(32), 'purpose-a').open(sealed, 'host-a')],
    ['a flipped ciphertext byte', () => box.open(flip(sealed, 1), 'host-a')],
    ['a flipped tag byte', () => box.open(flip(sealed, 2), 'host-a')],
    ['a missing part', () => box.open(sealed.split('.').slice(0, 2).join('.'), 'host-a')],
    ['an extra part', () => box.open(`${sealed}.x`, 'host-a')],
    ['a short nonce', () => box.open(`AAAA.${sealed.split('.').slice(1).join('.')}`, 'host-a')],
    ['a short tag', () => box.open(`${sealed.split('.').slice(0, 2).join('.')}.AAAA`, 'host-a')],
    ['an oversized box', () => box.open(`${sealed}${'A'.repeat(9000)}`, 'host-a')],
    ['an empty string', () => box.open('', 'host-a')],
  ];
  it.each(refused)('opens nothing for %s', (_why, open) => {
    expect(open()).toBeUndefined();
  });
});

describe('sealed boxes across a session key rotation', () => {
  const oldSecret = randomBytes(32);
  const newSecret = randomBytes(32);
  const rotating = createSealedBox(newSecret, 'purpose-a', [oldSecret]);
  const cases: Array<[string, () => string | undefined, string | undefined]> = [
    ['a box sealed under the previous key opens (visits survive the rotation)', () => rotating.open(createSealedBox(oldSecret, 'purpose-a').seal('old', 'host-a'), 'host-a'), 'old'],
    ['a box sealed under the current key opens', () => rotating.open(createSealedBox(newSecret, 'purpose-a').seal('new', 'host-a'), 'host-a'), 'new'],
    ['new boxes are sealed under the current key (they open without the previous one)', () => createSealedBox(newSecret, 'purpose-a').open(rotating.seal('fresh', 'host-a'), 'host-a'), 'fresh'],
    ['new boxes are not sealed under the previous key', () => createSealedBox(oldSecret, 'purpose-a').open(rotating.seal('fresh', 'host-a'), 'host-a'), undefined],
    ['a previous key still binds the context (another origin opens nothing)', () => rotating.open(createSealedBox(oldSecret, 'purpose-a').seal('old', 'host-a'), 'host-b'), undefined],
    ['a previous key still binds the purpose', () => rotating.open(createSealedBox(oldSecret, 'purpose-b').seal('old', 'host-a'), 'host-a'), undefined],
    ['a key that was never listed opens nothing', () => rotating.open(createSealedBox(randomBytes(32), 'purpose-a').seal('x', 'host-a'), 'host-a'), undefined],
    ['the second of two previous keys opens too', () => createSealedBox(newSecret, 'purpose-a', [randomBytes(32), oldSecret]).open(createSealedBox(oldSecret, 'purpose-a').seal('second', 'host-a'), 'host-a'), 'second'],
  ];
  it.each(cases)('%s', (_why, open, expected) => {
    expect(open()).toBe(expected);
  });
});

function flip(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('the box format, checked with node:crypto directly (an independent reading of what we produce)', () => {
  const secret = randomBytes(32);
  const key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'patron-privacy-gateway/browse/purpose-k', 32));
  // Made inside each test, so that mutation runs credit the key derivation to them.
  const make = () => createSealedBox(secret, 'purpose-k');

  it('is AES-256-GCM under HKDF-SHA256(secret, info "patron-privacy-gateway/browse/<purpose>"), a 12-byte nonce, the context as associated data, a 16-byte tag', () => {
    const [iv, body, tag] = make().seal('known answer', 'ctx-é').split('.').map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
    expect(iv).toHaveLength(12);
    expect(tag).toHaveLength(16);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from('ctx-é', 'utf8'));
    decipher.setAuthTag(tag);
    expect(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')).toBe('known answer');
  });

  it('opens a box made elsewhere with the same key, nonce size and tag', () => {
    expect(make().open(sealWith(key, 12, 16, 'made elsewhere', 'c'), 'c')).toBe('made elsewhere');
  });

  it('refuses a box with a 16-byte nonce or a truncated tag, even under the right key', () => {
    expect(make().open(sealWith(key, 16, 16, 'x', 'c'), 'c')).toBeUndefined();
    expect(make().open(sealWith(key, 12, 12, 'x', 'c'), 'c')).toBeUndefined();
  });
});

function sealWith(key: Buffer, ivLength: number, tagLength: number, plaintext: string, context: string): string {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().subarray(0, tagLength).toString('base64url')}`;
}
