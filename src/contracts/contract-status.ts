import type { CompiledContract } from './compiled-contract.ts';

/** Warn this many days before a contract expires. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

export type ContractStatus =
  | { readonly state: 'not-yet-effective'; readonly days: number }
  | { readonly state: 'active' }
  | { readonly state: 'expiring-soon'; readonly days: number }
  | { readonly state: 'expired'; readonly days: number };

/**
 * Where a contract stands at `now` (UTC days). A contract is in force from the start of its
 * `effective` day to the end of its `expires` day; outside that its vendor is closed.
 */
export function describeContractStatus(contract: CompiledContract, now: Date): ContractStatus {
  const start = contract.inForce.fromMs;
  const end = contract.inForce.untilMs;
  const t = now.getTime();
  if (t < start) return { state: 'not-yet-effective', days: Math.ceil((start - t) / DAY_MS) };
  if (t >= end) return { state: 'expired', days: Math.floor((t - end) / DAY_MS) };
  const left = Math.ceil((end - t) / DAY_MS);
  return left <= EXPIRY_WARNING_DAYS ? { state: 'expiring-soon', days: left } : { state: 'active' };
}

/** True when the vendor may be used at `now`. */
export function isContractInForce(contract: CompiledContract, now: Date): boolean {
  const t = now.getTime();
  return t >= contract.inForce.fromMs && t < contract.inForce.untilMs;
}
