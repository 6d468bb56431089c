import type { IncomingMessage } from 'node:http';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { isContractInForce } from '../../contracts/contract-status.ts';
import type { MinimizeResult, VendorView } from '../../minimize/minimize.ts';
import type { RememberedMinimizer } from '../../minimize/remember-results.ts';
import type { NoticeGate } from '../../notices/notice-gate.ts';
import type { PatronResolver, SignedInPatron } from '../../sessions/resolve-patron.ts';

/**
 * What a federated sign-in (OpenID Connect or SAML) may do for one patron and vendor right now:
 * the vendor is closed; the patron must sign in, or accept the notice, first (a path on the
 * gateway to send the browser to, which comes back to `resume`); the minors rules block the
 * patron; or the view to release.
 */
export type FederatedRelease =
  | { readonly outcome: 'closed' }
  | { readonly outcome: 'sign-in'; readonly redirect: string }
  | { readonly outcome: 'blocked'; readonly block: 'minor-blocked' | 'parental-consent-required' }
  | { readonly outcome: 'notice'; readonly redirect: string }
  | {
      readonly outcome: 'released';
      readonly signedIn: SignedInPatron;
      readonly result: MinimizeResult;
      /** `result.view` when the patron is identified; empty otherwise (minors rule anonymous): nothing about the patron. */
      readonly view: VendorView;
      /** The vendor's pairwise pseudonym of the patron; absent when nothing identifies the patron. */
      readonly pseudonym?: string;
    };

/** Where the browser comes back to: the federated flow's resume path, and where "decline" on the notice leads. */
export interface FederatedPaths {
  readonly resume: string;
  readonly declined: string;
}

export type FederatedReleaseResolver = (req: IncomingMessage, contract: CompiledContract, paths: FederatedPaths, now: Date) => Promise<FederatedRelease>;

const NOTHING: VendorView = Object.freeze({});
const NO_CONSENTS: ReadonlyArray<string> = Object.freeze([]);

/**
 * The gate every federated sign-in passes, in the proxy's order: the contract in force, a
 * signed-in patron (the gateway's own sign-in, coming back to `resume`), the minors rules (before
 * the notice: a blocked patron is never asked), then the notice acknowledged at its current
 * version, whose consents decide what is released. The view comes from the same remembered
 * minimizer the proxy uses; nothing is released when the patron is not identified.
 */
export function createFederatedReleaseResolver(deps: { resolver: PatronResolver; noticeGate: NoticeGate; minimizer: RememberedMinimizer }): FederatedReleaseResolver {
  return async (req, contract, paths, now) => {
    if (!isContractInForce(contract, now)) return { outcome: 'closed' };
    const signedIn = await deps.resolver.resolve(req, now);
    // Straight to the form (`cleared=1`): the sign-in page's own first step answers Clear-Site-Data
    // "cookies", which would also drop the cookies that bind this sign-in to this browser. No
    // session is left to end (there would be a patron otherwise); the sign-in itself still
    // clears the cache and storage.
    if (!signedIn) return { outcome: 'sign-in', redirect: `/login?next=${encodeURIComponent(paths.resume)}&cleared=1` };
    const decision = await deps.noticeGate.decide(req, signedIn.patron.patronId, contract);
    const result = deps.minimizer.minimize(signedIn.session.sid, signedIn.patron, contract, decision.accepted ? decision.consents : NO_CONSENTS, now);
    if (result.access === 'blocked') return { outcome: 'blocked', block: result.block ?? 'minor-blocked' };
    if (!decision.accepted) {
      return { outcome: 'notice', redirect: `/notices/${contract.id}?next=${encodeURIComponent(paths.resume)}&back=${encodeURIComponent(paths.declined)}` };
    }
    if (result.access !== 'identified') return { outcome: 'released', signedIn, result, view: NOTHING };
    const subject = contract.rules.find((rule) => rule.action === 'pseudonymize')?.as;
    const pseudonym = subject === undefined ? undefined : result.view[subject];
    return { outcome: 'released', signedIn, result, view: result.view, ...(typeof pseudonym === 'string' ? { pseudonym } : {}) };
  };
}
