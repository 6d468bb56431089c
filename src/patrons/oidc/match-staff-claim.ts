import { readClaim, type Claims } from './read-claim.ts';

/** `staffClaim`: the claim (name or dotted path) and the values that make someone staff. */
export interface StaffClaim {
  readonly claim: string;
  readonly values: ReadonlyArray<string>;
}

/**
 * True when the claim holds one of the staff values: the claim itself (a text, a number or true
 * compared as text) or, for a list such as `groups`, any of its items. Absent or anything else: false.
 */
export function matchStaffClaim(claims: Claims, staffClaim: StaffClaim | undefined): boolean {
  if (staffClaim === undefined) return false;
  const value = readClaim(claims, staffClaim.claim);
  const items = Array.isArray(value) ? value : [value];
  return items.some((item) => (typeof item === 'string' || typeof item === 'number' || item === true) && staffClaim.values.includes(String(item)));
}
