import type { Stage } from '../stage.ts';
import { rescopeSetCookie } from './rescope-set-cookie.ts';
import { rewriteLocation } from './rewrite-location.ts';

/**
 * Anything a browser could run as a document gets this: scripts and forms work, but the page
 * runs in an opaque origin, so it cannot read the gateway's cookies or other vendors' pages.
 */
export const VENDOR_DOCUMENT_CSP = 'sandbox allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads allow-modals';

const DOCUMENT_TYPES = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/xsl|multipart\/x-mixed-replace)/i;

/**
 * Filter response: rescope vendor cookies to the vendor's path under a vendor mark, rewrite
 * Locations that point at the vendor, send no Referer onwards, and sandbox documents.
 */
export function createFilterResponseStage(deps: { secureCookies: boolean }): Stage {
  return {
    name: 'filter response',
    respond(context, upstream) {
      const contract = context.contract;
      if (!contract?.upstream) return;
      const headers = upstream.headers;
      const setCookie = headers['set-cookie'];
      if (setCookie) {
        const rescoped = setCookie.map((c) => rescopeSetCookie(c, contract.id, deps.secureCookies)).filter((c): c is string => c !== undefined);
        if (rescoped.length > 0) headers['set-cookie'] = rescoped;
        else delete headers['set-cookie'];
      }
      if (typeof headers.location === 'string') {
        headers.location = rewriteLocation(headers.location, { vendorId: contract.id, upstreamUrl: contract.upstream.url, hosts: contract.upstream.hosts });
      }
      headers['referrer-policy'] = 'no-referrer';
      headers['x-content-type-options'] = 'nosniff';
      const type = headers['content-type'] ?? '';
      if (type === '' || DOCUMENT_TYPES.test(type)) {
        const existing = headers['content-security-policy'];
        headers['content-security-policy'] = existing ? `${existing}, ${VENDOR_DOCUMENT_CSP}` : VENDOR_DOCUMENT_CSP;
      }
      delete headers['strict-transport-security'];
      delete headers['clear-site-data'];
    },
  };
}
