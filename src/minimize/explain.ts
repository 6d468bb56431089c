import type { CompiledContract } from '../contracts/compiled-contract.ts';
import { describeContractStatus, type ContractStatus } from '../contracts/contract-status.ts';
import type { FieldDecision, MinimizeResult } from './minimize.ts';

/** The dry run staff read: what one vendor would receive about one patron, and why, field by field. */
export interface Explanation {
  readonly vendor: string;
  readonly vendorName: string;
  readonly at: string;
  readonly contractStatus: ContractStatus;
  readonly noticeVersion: string;
  readonly delivery: string;
  readonly access: MinimizeResult['access'];
  readonly block?: MinimizeResult['block'];
  readonly minorRule?: MinimizeResult['minorRule'];
  readonly view: MinimizeResult['view'];
  readonly fields: ReadonlyArray<FieldDecision & { readonly explanation: string }>;
}

/** Builds the explanation from the minimizer's result. Pure. */
export function explainResult(contract: CompiledContract, result: MinimizeResult, now: Date): Explanation {
  return {
    vendor: contract.id,
    vendorName: contract.name,
    at: now.toISOString(),
    contractStatus: describeContractStatus(contract, now),
    noticeVersion: contract.noticeVersion,
    delivery: contract.identity.delivery,
    access: result.access,
    ...(result.block ? { block: result.block } : {}),
    ...(result.minorRule ? { minorRule: result.minorRule } : {}),
    view: result.view,
    fields: result.decisions.map((d) => ({ ...d, explanation: explainDecision(d, result) })),
  };
}

function explainDecision(decision: FieldDecision, result: MinimizeResult): string {
  switch (decision.reason) {
    case 'released': {
      const value = JSON.stringify(result.view[decision.as ?? '']);
      const how = decision.generalization ? `${decision.action} to ${decision.generalization}` : decision.action;
      return `-> ${decision.as} ${value} (${how}${decision.consent ? `, consent ${decision.consent} given` : ''})`;
    }
    case 'not-in-contract':
      return '-> withheld (not in the contract)';
    case 'dropped':
      return '-> withheld (the contract drops it)';
    case 'no-consent':
      return `-> withheld (needs consent ${decision.consent})`;
    case 'minor': {
      const rule = result.minorRule;
      const group = rule?.group === 'under18' ? 'under 18' : rule?.ageKnown === false ? 'of unknown age (treated as under 13)' : 'under 13';
      return `-> withheld (patron is ${group}; minors rule ${rule?.policy})`;
    }
    case 'no-value-in-that-form':
      return `-> withheld (no ${decision.generalization ?? decision.action} value can be made from it)`;
  }
}

/** The explanation as text for a terminal. */
export function formatExplanation(explanation: Explanation): string {
  const lines: string[] = [];
  lines.push(`What ${explanation.vendorName} (${explanation.vendor}) would receive, as of ${explanation.at.slice(0, 10)}`);
  const status = explanation.contractStatus;
  if (status.state === 'expired') lines.push(`WARNING: the contract expired ${status.days} day(s) ago; the vendor is closed`);
  if (status.state === 'not-yet-effective') lines.push(`WARNING: the contract takes effect in ${status.days} day(s); the vendor is closed until then`);
  if (status.state === 'expiring-soon') lines.push(`Note: the contract expires in ${status.days} day(s)`);
  lines.push(`Delivery: ${explanation.delivery}; notice version ${explanation.noticeVersion}`);
  if (explanation.access === 'blocked') {
    lines.push(explanation.block === 'parental-consent-required' ? 'Access: BLOCKED until a parent or guardian consents' : 'Access: BLOCKED for this patron (minors rule)');
  } else if (explanation.access === 'anonymous') {
    lines.push('Access: anonymous (the vendor sees only the library)');
  } else {
    lines.push('Access: allowed');
  }
  lines.push('');
  const width = Math.max(...explanation.fields.map((f) => f.field.length), 5);
  for (const field of explanation.fields) lines.push(`  ${field.field.padEnd(width)} ${field.explanation}`);
  lines.push('');
  lines.push(`Vendor view: ${JSON.stringify(explanation.view)}`);
  return lines.join('\n');
}
