import type { IncomingMessage } from 'node:http';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { MinimizeResult } from '../../minimize/minimize.ts';
import type { RememberedMinimizer } from '../../minimize/remember-results.ts';
import type { NoticeGate } from '../../notices/notice-gate.ts';
import type { PatronResolver, SignedInPatron } from '../../sessions/resolve-patron.ts';

/** What a federated sign-in (SAML here; OIDC alike) may do next for this patron and vendor. */
export type FederatedRelease =
  /** Not signed in: to the gateway's sign-in page, coming back to `resume`. */
  | { readonly kind: 'sign-in'; readonly redirect: string }
  /** The contract is not in force today. */
  | { readonly kind: 'closed' }
  /** The minors rules refuse this patron for this vendor. */
  | { readonly kind: 'blocked'; readonly result: MinimizeResult }
  /** The current notice is not accepted: to the notice, coming back to `resume` (accept) or `decline`. */
  | { readonly kind: 'notice'; readonly redirect: string }
  /** Accepted: the vendor view (nothing when result.access is not identified). */
  | { readonly kind: 'release'; readonly result: MinimizeResult; readonly signedIn: SignedInPatron };

export interface FederatedReleaseDeps {
  readonly resolver: PatronResolver;
  readonly noticeGate: NoticeGate;
  readonly minimizer: RememberedMinimizer;
  readonly isInForce: (contract: CompiledContract, now: Date) => boolean;
}

/**
 * The gateway's own interaction for a vendor sign-in, exactly as `/v/{vendor}/` does it: the
 * signed-in patron, the contract in force, the minors rules, then the notice accepted at its current
 * version; the vendor view comes from the remembered minimizer with the consents chosen on the
 * notice. `resume` and `decline` are gateway paths (they become `next` and `back`).
 */
export async function resolveFederatedRelease(req: IncomingMessage, contract: CompiledContract, now: Date, paths: { readonly resume: string; readonly decline: string }, deps: FederatedReleaseDeps): Promise<FederatedRelease> {
  const signedIn = await deps.resolver.resolve(req, now);
  if (signedIn === undefined) return { kind: 'sign-in', redirect: `/login?next=${encodeURIComponent(paths.resume)}` };
  if (!deps.isInForce(contract, now)) return { kind: 'closed' };
  const decision = await deps.noticeGate.decide(req, signedIn.patron.patronId, contract);
  const result = deps.minimizer.minimize(signedIn.session.sid, signedIn.patron, contract, decision.accepted ? decision.consents : [], now);
  if (result.access === 'blocked') return { kind: 'blocked', result };
  if (!decision.accepted) return { kind: 'notice', redirect: `/notices/${contract.id}?next=${encodeURIComponent(paths.resume)}&back=${encodeURIComponent(paths.decline)}` };
  return { kind: 'release', result, signedIn };
}
