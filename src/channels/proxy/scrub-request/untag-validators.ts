import type { OutgoingHttpHeaders } from 'node:http';
import { untagEntityTags } from '../../../policy/tagged-etag.ts';

/** Matches no entity tag a vendor gives: an If-Match the patron's tag did not carry still fails. */
export const NO_MATCH = '"gateway-no-match"';

/**
 * Cache validators on their way to the vendor (headers already allowlisted), so the browser's
 * HTTP cache cannot link patrons. `tag` gives the current patron's tag at this vendor (computed
 * only when a validator is present):
 *
 * - If-None-Match: only the entity tags this patron was given, untagged; none left, none sent
 *   (the vendor answers in full, as it would to a browser with an empty cache).
 * - If-Match: likewise; none left, a tag that matches nothing (the write still fails, as the
 *   client asked, instead of becoming unconditional).
 * - If-Range: this patron's entity tag, untagged; a date or anyone else's tag removes If-Range and
 *   Range both (the vendor sends the whole representation, which is what a failed If-Range means).
 * - If-Modified-Since: never sent. The gateway passes no Last-Modified (a date chosen per patron
 *   is an identifier too), so a date here can only come from elsewhere.
 */
export function untagValidators(headers: OutgoingHttpHeaders, tag: () => string | undefined): void {
  const noneMatch = headers['if-none-match'];
  const match = headers['if-match'];
  const range = headers['if-range'];
  delete headers['if-modified-since'];
  if (noneMatch === undefined && match === undefined && range === undefined) return;
  const current = tag();
  if (typeof noneMatch === 'string') {
    const kept = untagEntityTags(noneMatch, current);
    if (kept === undefined) delete headers['if-none-match'];
    else headers['if-none-match'] = kept;
  }
  if (typeof match === 'string') headers['if-match'] = untagEntityTags(match, current) ?? NO_MATCH;
  if (typeof range === 'string') {
    const kept = untagEntityTags(range, current);
    // '*' is no entity tag for If-Range: it goes like any other it cannot vouch for.
    if (kept === undefined || kept === '*') {
      delete headers['if-range'];
      delete headers['range'];
    } else headers['if-range'] = kept;
  }
}
