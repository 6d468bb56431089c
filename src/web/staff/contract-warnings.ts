import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { describeContractStatus } from '../../contracts/contract-status.ts';

/** Reviews older than this are flagged on the staff console. */
export const REVIEW_DUE_DAYS = 365;

/** What staff should act on for a contract at `now`: expiry and review. Pure. */
export function listContractWarnings(contract: CompiledContract, now: Date): string[] {
  const warnings: string[] = [];
  const status = describeContractStatus(contract, now);
  if (status.state === 'expired') warnings.push(`Expired ${status.days} day(s) ago: the vendor is closed until the contract is renewed.`);
  if (status.state === 'expiring-soon') warnings.push(`Expires in ${status.days} day(s).`);
  if (status.state === 'not-yet-effective') warnings.push(`Takes effect in ${status.days} day(s); the vendor is closed until then.`);
  const reviewed = contract.contract.reviewed;
  if (!reviewed) warnings.push('No privacy review is recorded.');
  else {
    const age = Math.floor((now.getTime() - Date.parse(`${reviewed}T00:00:00Z`)) / 86_400_000);
    if (age > REVIEW_DUE_DAYS) warnings.push(`Last reviewed ${age} days ago: a review is due.`);
  }
  return warnings;
}
