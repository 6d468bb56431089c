import type { PatronTagger } from '../../../policy/pseudonyms/patron-tag.ts';
import { bindRescopedCookie } from '../filter-response/rescope-set-cookie.ts';
import type { Stage } from '../stage.ts';

/**
 * Bind vendor cookies (runs right after filter response, which rescoped them): every cookie a
 * vendor sets is stored for the patron it was set for, under the patron tag of (patron, vendor).
 * On a shared library computer the next patron's requests then carry none of the previous
 * patron's vendor cookies, although the browser still holds them (Path=/v/<vendor>/ cookies are
 * never sent to /logout, so they cannot all be cleared there). Without a patron (never, since
 * identify runs first) no vendor cookie is stored.
 */
export function createBindVendorCookiesStage(deps: { tagger: PatronTagger }): Stage {
  return {
    name: 'bind vendor cookies',
    respond(context, upstream) {
      const setCookie = upstream.headers['set-cookie'];
      if (!setCookie) return;
      const patron = context.patron;
      const contract = context.contract;
      if (!patron || !contract) {
        delete upstream.headers['set-cookie'];
        return;
      }
      const tag = deps.tagger.tag(patron.patronId, contract.id);
      const bound: string[] = [];
      for (const cookie of setCookie) {
        const tagged = bindRescopedCookie(cookie, tag);
        if (tagged !== undefined) bound.push(tagged);
      }
      if (bound.length > 0) upstream.headers['set-cookie'] = bound;
      else delete upstream.headers['set-cookie'];
    },
  };
}
