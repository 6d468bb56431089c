import type { IncomingHttpHeaders } from 'node:http';
import type { PatronTagger } from '../../../policy/pseudonyms/patron-tag.ts';
import { tagEtag } from '../../../policy/tagged-etag.ts';
import { makePrivate, varyOnCookie } from './private-caching.ts';
import { stripReporting } from './vendor-csp.ts';

export interface AnswerPatron {
  readonly tagger: PatronTagger;
  readonly vendorId: string;
  /** Undefined on an answer to nobody signed in: an ETag is then dropped (it could carry an identifier to the next patron). */
  readonly patronId: string | undefined;
}

/**
 * What every answer from a vendor's content gets, under /v/ and on a browse origin alike: its ETag
 * tagged with the patron (dropped when there is no patron or it is not an entity tag), caching
 * private and varying on the cookies, and the gateway's CSP beside the vendor's own policy (with
 * the vendor's reporting removed: a browser enforces both, so the vendor can only narrow it).
 * Changes the headers in place.
 */
export function confineVendorAnswer(headers: IncomingHttpHeaders, patron: AnswerPatron, gatewayCsp: string): void {
  if (headers.etag !== undefined) {
    const tagged = patron.patronId === undefined ? undefined : tagEtag(headers.etag, patron.tagger.tag(patron.patronId, patron.vendorId));
    if (tagged === undefined) delete headers.etag;
    else headers.etag = tagged;
  }
  headers['cache-control'] = makePrivate(headers['cache-control']);
  headers.vary = varyOnCookie(headers.vary);
  const own = headers['content-security-policy'];
  // Node joins repeated CSP lines with a comma: one string of policies.
  const vendorPolicy = typeof own === 'string' ? stripReporting(own) : undefined;
  headers['content-security-policy'] = vendorPolicy === undefined ? gatewayCsp : `${vendorPolicy}, ${gatewayCsp}`;
}
