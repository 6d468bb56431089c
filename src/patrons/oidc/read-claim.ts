/** The claims of an ID token and the userinfo answer, as JSON. */
export type Claims = Readonly<Record<string, unknown>>;

/**
 * One claim by name, or by a dotted path into an object claim (`address.postal_code`). A claim
 * whose own name holds dots (`https://idp.example/claims/card`) is found by that name first.
 */
export function readClaim(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
