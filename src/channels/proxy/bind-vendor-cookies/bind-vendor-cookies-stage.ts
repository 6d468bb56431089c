import { readRequestCookies, serializeCookie, VENDOR_COOKIE_PREFIX } from '../../../lib/cookies.ts';
import type { PatronTagger } from '../../../policy/pseudonyms/patron-tag.ts';
import { bindRescopedCookie } from '../filter-response/rescope-set-cookie.ts';
import type { Stage } from '../stage.ts';

/**
 * Bind vendor cookies (runs right after filter response, which rescoped them): every cookie a
 * vendor sets is stored for the patron it was set for, under the patron tag of (patron, vendor).
 * On a shared library computer the next patron's requests then carry none of the previous
 * patron's vendor cookies (scrub request leaves them out), although the browser may still hold
 * them: Path=/v/<vendor>/ cookies are never sent to /logout, so they cannot all be cleared there.
 * This stage also expires, in the browser, every cookie of this vendor the request carried that
 * is not the current patron's (another patron's, untagged or forged), before the vendor's own
 * cookies of this response. Without a patron (never, since identify runs first) no vendor cookie
 * is stored.
 */
export function createBindVendorCookiesStage(deps: { tagger: PatronTagger; secureCookies: boolean }): Stage {
  return {
    name: 'bind vendor cookies',
    respond(context, upstream) {
      const setCookie = upstream.headers['set-cookie'];
      const patron = context.patron;
      const contract = context.contract;
      if (!patron || !contract) {
        delete upstream.headers['set-cookie'];
        return;
      }
      let tag: string | undefined;
      const out: string[] = [];
      // Expire what the browser holds for this vendor but not for this patron.
      const prefix = `${VENDOR_COOKIE_PREFIX}${contract.id}.`;
      const cookies = readRequestCookies(context.req);
      for (const name in cookies) {
        if (!name.startsWith(prefix)) continue;
        tag ??= deps.tagger.tag(patron.patronId, contract.id);
        if (cookies[name]?.startsWith(`${tag}.`)) continue;
        try {
          out.push(serializeCookie(name, '', { maxAge: 0, path: `/v/${contract.id}/`, secure: deps.secureCookies }));
        } catch {
          // A name the browser sent but no Set-Cookie can carry: nothing to expire it with.
        }
      }
      if (setCookie) {
        tag ??= deps.tagger.tag(patron.patronId, contract.id);
        for (const cookie of setCookie) {
          const tagged = bindRescopedCookie(cookie, tag);
          if (tagged !== undefined) out.push(tagged);
        }
      }
      if (out.length > 0) upstream.headers['set-cookie'] = out;
      else delete upstream.headers['set-cookie'];
    },
  };
}
