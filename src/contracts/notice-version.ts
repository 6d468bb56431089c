import { createHash } from 'node:crypto';
import { SHARING_TERMS, type SharingSubject } from './sharing-terms.ts';

/**
 * A short hash of everything a contract says about what patrons share, where it goes and how:
 * every sharing term (see sharing-terms.ts), the same list `gateway diff` compares, so any change
 * the diff reports asks patrons again. Names, purposes, comments, contract dates and timeouts are
 * left out, so fixing a typo or renewing a contract does not ask every patron again.
 */
export function computeNoticeVersion(contract: SharingSubject): string {
  const canonical = JSON.stringify(SHARING_TERMS.map((term) => [term.path, term.describe(contract)]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
