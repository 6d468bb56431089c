import { readRequestCookies, VENDOR_COOKIE_PREFIX } from '../../../lib/cookies.ts';
import type { PatronTagger } from '../../../policy/pseudonyms/patron-tag.ts';
import type { IncomingMessage } from 'node:http';

/**
 * The Cookie header a vendor may receive: the browser's cookies stored for this vendor only
 * (`vc.<vendor>.<name>`, mark removed), and of those only the ones stored for the patron now
 * signed in. Each stored value starts with the patron tag of (patron, vendor) and a dot (see
 * rescope-set-cookie.ts); a cookie with another patron's tag, or none, is left out: on a shared
 * library computer, the vendor never sees the previous patron's session next to this one's.
 */
export type VendorCookieReader = (req: IncomingMessage, patronId: string, vendorId: string) => string | undefined;

export function createVendorCookieReader(tagger: PatronTagger): VendorCookieReader {
  return (req, patronId, vendorId) => {
    const cookies = readRequestCookies(req);
    const prefix = `${VENDOR_COOKIE_PREFIX}${vendorId}.`;
    let bound: string | undefined;
    let kept: string | undefined;
    for (const name in cookies) {
      const value = cookies[name];
      if (value === undefined || name.length <= prefix.length || !name.startsWith(prefix)) continue;
      // Computed once per request, and only when this vendor has cookies at all.
      bound ??= `${tagger.tag(patronId, vendorId)}.`;
      if (!value.startsWith(bound)) continue;
      const cookie = `${name.slice(prefix.length)}=${value.slice(bound.length)}`;
      kept = kept === undefined ? cookie : `${kept}; ${cookie}`;
    }
    return kept;
  };
}
