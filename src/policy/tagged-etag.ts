/**
 * Entity tags bound to one patron at one vendor. The ETag a vendor gives is handed to the browser
 * with the patron's tag inside its quotes (`"<tag>.<vendor's tag>"`, weak ones stay weak); a
 * validator the browser sends back reaches the vendor, without the tag, only when its tag is the
 * current patron's. So a browser's HTTP cache cannot carry one patron's identifier (a vendor can
 * make every ETag unique) to the vendor under another patron's identity.
 */
const ENTITY_TAG = /^(W\/)?"([^"]*)"$/;
const ENTITY_TAGS = /\s*(W\/)?"([^"]*)"\s*(?:,|$)/gy;

/** The vendor's ETag with the patron's tag inside, or undefined when it is not an entity tag at all. */
export function tagEtag(etag: string, tag: string): string | undefined {
  const match = ENTITY_TAG.exec(etag.trim());
  if (!match) return undefined;
  return `${match[1] ?? ''}"${tag}.${match[2] ?? ''}"`;
}

/**
 * A list of entity tags (If-None-Match, If-Match, If-Range) with only the ones carrying `tag`,
 * as the vendor gave them; `*` stays `*`. Undefined when none is left (or the list is malformed).
 */
export function untagEntityTags(list: string, tag: string | undefined): string | undefined {
  const trimmed = list.trim();
  if (trimmed === '*') return '*';
  if (tag === undefined) return undefined;
  const prefix = `${tag}.`;
  const kept: string[] = [];
  ENTITY_TAGS.lastIndex = 0;
  let consumed = 0;
  for (let match = ENTITY_TAGS.exec(trimmed); match !== null; match = ENTITY_TAGS.exec(trimmed)) {
    consumed = ENTITY_TAGS.lastIndex;
    const opaque = match[2] ?? '';
    if (opaque.startsWith(prefix)) kept.push(`${match[1] ?? ''}"${opaque.slice(prefix.length)}"`);
  }
  if (consumed !== trimmed.length) return undefined;
  return kept.length > 0 ? kept.join(', ') : undefined;
}
