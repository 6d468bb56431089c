import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM boxes bound to a context (the associated data, such as the proxied host a cookie
 * belongs to): a box opens only under the same key and the same context, so a box taken from one
 * vendor origin opens nothing on another. base64url: `iv.ciphertext.tag`.
 */
export interface SealedBox {
  seal(plaintext: string, context: string): string;
  open(box: string, context: string): string | undefined;
}

/**
 * A box keyed by HKDF-SHA256 of `secret` for one `purpose` (each purpose its own key). Boxes are
 * sealed under `secret` only; `previousSecrets` (a session key rotation in progress, as
 * `secrets.previousSessionKeys`) still open the boxes they sealed, so a rotation does not end every
 * patron's visit to a vendor origin at once.
 */
export function createSealedBox(secret: Uint8Array, purpose: string, previousSecrets: ReadonlyArray<Uint8Array> = []): SealedBox {
  const deriveKey = (from: Uint8Array) => Buffer.from(hkdfSync('sha256', from, Buffer.alloc(0), `patron-privacy-gateway/browse/${purpose}`, 32));
  const key = deriveKey(secret);
  const openingKeys = [key, ...previousSecrets.map(deriveKey)];
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
    },
    open(box, context) {
      const parts = box.split('.');
      if (parts.length !== 3 || box.length > 8192) return undefined;
      const [iv, body, tag] = parts.map((part) => Buffer.from(part as string, 'base64url')) as [Buffer, Buffer, Buffer];
      if (iv.length !== 12 || tag.length !== 16) return undefined;
      for (const openingKey of openingKeys) {
        const text = openWith(openingKey, iv, body, tag, context);
        if (text !== undefined) return text;
      }
      return undefined;
    },
  };
}

function openWith(key: Buffer, iv: Buffer, body: Buffer, tag: Buffer, context: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
