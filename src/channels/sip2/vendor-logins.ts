import { createHash, timingSafeEqual } from 'node:crypto';

/** A vendor's SIP2 credentials, as read from the settings' secret sources. */
export interface Sip2VendorCredential {
  readonly vendorId: string;
  readonly user: Uint8Array;
  readonly password: Uint8Array;
}

export interface VendorLogins {
  /** The vendor these credentials belong to, or undefined. Takes the same time whichever vendor matches, or none. */
  identify(user: string, password: string): string | undefined;
}

const digest = (value: Uint8Array | string): Buffer => createHash('sha256').update(value).digest();

/**
 * Checks a 93's CN and CO against every vendor's credentials. Only SHA-256 digests are kept, and
 * every vendor is compared in constant time, whatever matched: the time taken says nothing about
 * which vendor, user or password was close.
 */
export function createVendorLogins(credentials: ReadonlyArray<Sip2VendorCredential>): VendorLogins {
  const known = credentials.map((c) => ({ vendorId: c.vendorId, user: digest(c.user), password: digest(c.password) }));
  return {
    identify(user, password) {
      const userDigest = digest(user);
      const passwordDigest = digest(password);
      let found: string | undefined;
      for (const entry of known) {
        const userMatches = timingSafeEqual(entry.user, userDigest);
        const passwordMatches = timingSafeEqual(entry.password, passwordDigest);
        if (userMatches && passwordMatches && found === undefined) found = entry.vendorId;
      }
      return found;
    },
  };
}
