/** How the pipeline treats a request body, from its Content-Type. */
export type BodyKind = 'json' | 'form' | 'text' | 'multipart' | 'other';

/** `type` is a media type from readMediaType (lowercase, no parameters). */
export function classifyBody(type: string): BodyKind {
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart/form-data') return 'multipart';
  if (type.startsWith('text/') || type === 'application/xml' || type.endsWith('+xml') || type === 'application/graphql') return 'text';
  return 'other';
}

/** True when the request carries a body. */
export function hasBody(headers: { 'content-length'?: string | undefined; 'transfer-encoding'?: string | undefined }): boolean {
  const length = headers['content-length'];
  if (length !== undefined) return Number(length) > 0;
  return headers['transfer-encoding'] !== undefined;
}

/** True when `type` is one of `listed` (a contract's `request.bodyTypes`): whole, or under a `type/*` wildcard. */
export function isListedType(listed: ReadonlyArray<string>, type: string): boolean {
  return listed.some((entry) => entry === type || (entry.endsWith('/*') && type.startsWith(entry.slice(0, -1))));
}
