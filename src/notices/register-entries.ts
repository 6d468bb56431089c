import type { CompiledContract } from '../contracts/compiled-contract.ts';
import { describeContractStatus } from '../contracts/contract-status.ts';
import type { CanonicalField } from '../policy/canonical-fields.ts';
import { describeOidcClaim } from '../contracts/oidc-sharing-terms.ts';

/** One vendor in the public register, generated from its contract. Pure data, for the page and the JSON. */
export interface RegisterEntry {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly purpose: string;
  readonly receives: ReadonlyArray<{ readonly field: CanonicalField; readonly as: string; readonly kind: 'pseudonym' | 'generalized' | 'passed'; readonly generalization?: string; readonly consent?: string; readonly claim?: string }>;
  readonly delivery: string;
  readonly minors: { readonly under13: string; readonly under18?: string };
  readonly contract: { readonly reference: string; readonly effective: string; readonly expires: string; readonly reviewed?: string; readonly privacyPolicy?: string };
  readonly inForce: boolean;
  readonly noticeVersion: string;
}

export function buildRegister(contracts: Iterable<CompiledContract>, now: Date): RegisterEntry[] {
  return [...contracts].map((contract) => {
    const state = describeContractStatus(contract, now).state;
    return {
      id: contract.id,
      name: contract.name,
      kind: contract.kind,
      purpose: contract.purpose,
      receives: contract.rules
        .filter((r) => r.action !== 'drop')
        .map((r) => ({
          field: r.field,
          as: r.as,
          kind: r.action === 'pseudonymize' ? ('pseudonym' as const) : r.action === 'generalize' ? ('generalized' as const) : ('passed' as const),
          ...(r.generalization ? { generalization: r.generalization.name } : {}),
          ...(r.consent ? { consent: r.consent } : {}),
          ...claimOf(contract, r.as),
        })),
      delivery: contract.identity.delivery,
      minors: { ...contract.minors },
      contract: { ...contract.contract },
      inForce: state === 'active' || state === 'expiring-soon',
      noticeVersion: contract.noticeVersion,
    };
  });
}

/** oidc delivery: the ID token claim that carries a view value (`sub` for the pseudonym); nothing for other deliveries. */
function claimOf(contract: CompiledContract, view: string): { claim?: string } {
  const oidc = contract.identity.oidc;
  if (oidc === undefined) return {};
  if (view === oidc.subjectView) return { claim: 'sub' };
  const claim = oidc.claims.find((c) => c.view === view);
  return claim === undefined ? {} : { claim: describeOidcClaim(claim) };
}
