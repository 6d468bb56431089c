import type { IncomingHttpHeaders } from 'node:http';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { PatronTagger } from '../../../policy/pseudonyms/patron-tag.ts';
import { PASSED_RESPONSE_HEADERS } from '../../../policy/response-headers.ts';
import type { Stage } from '../stage.ts';
import { confineVendorAnswer } from './confine-vendor-answer.ts';
import { rescopeSetCookie } from './rescope-set-cookie.ts';
import { createLocationRewriter, type LocationRewriter } from './rewrite-location.ts';
import { buildVendorCsp } from './vendor-csp.ts';

export interface FilterResponseDeps {
  readonly secureCookies: boolean;
  /** The gateway's public origin: vendor pages may load only from `<publicOrigin>/v/<vendor>/`. */
  readonly publicOrigin: string;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  /** Tags ETags with the patron they were given to. */
  readonly tagger: PatronTagger;
}

/** What the stage precomputes per contract at startup. */
interface ResponsePlan {
  readonly csp: string;
  readonly rewriteLocation: LocationRewriter;
}

/**
 * Filter response, on every answer a vendor gives (any status, any type or none; 1xx interim
 * answers are never passed on): only the headers of the allowlist pass, the rest is dropped
 * whatever its name; cookies are rescoped to the vendor's path under a vendor mark; a Location is
 * rewritten into the vendor's space or sent to the leaving page; the ETag is tagged with the
 * patron; caching is private and varies on the cookies; and the sandbox CSP that keeps the
 * answer inside the vendor's space is always there, however the vendor typed it.
 */
export function createFilterResponseStage(deps: FilterResponseDeps): Stage {
  const buildPlan = (vendorId: string, upstream: NonNullable<CompiledContract['upstream']>): ResponsePlan => ({
    csp: buildVendorCsp(deps.publicOrigin, vendorId),
    rewriteLocation: createLocationRewriter(vendorId, upstream),
  });
  // One plan per contract, at startup (the map is as bounded as the contracts).
  const plans = new Map<string, ResponsePlan>();
  for (const contract of deps.contracts.values()) if (contract.upstream) plans.set(contract.id, buildPlan(contract.id, contract.upstream));
  return {
    name: 'filter response',
    respond(context, upstream) {
      const contract = context.contract;
      if (!contract?.upstream) return;
      const plan = plans.get(contract.id) ?? buildPlan(contract.id, contract.upstream);
      const source = upstream.headers;
      const headers: IncomingHttpHeaders = {};
      const extra = contract.response.headerSet;
      for (const name in source) if (PASSED_RESPONSE_HEADERS.has(name) || extra.has(name)) headers[name] = source[name];

      const setCookie = headers['set-cookie'];
      if (setCookie) {
        const rescoped = setCookie.map((c) => rescopeSetCookie(c, contract.id, deps.secureCookies)).filter((c): c is string => c !== undefined);
        if (rescoped.length > 0) headers['set-cookie'] = rescoped;
        else delete headers['set-cookie'];
      }
      if (headers.location !== undefined) headers.location = plan.rewriteLocation(headers.location, context.upstreamPath);
      confineVendorAnswer(headers, { tagger: deps.tagger, vendorId: contract.id, patronId: context.patron?.patronId }, plan.csp);
      headers['x-content-type-options'] = 'nosniff';
      headers['referrer-policy'] = 'no-referrer';
      headers['x-dns-prefetch-control'] = 'off';
      upstream.headers = headers;
    },
  };
}
