import type { CompiledContract } from './compiled-contract.ts';
import { LISTED_TERMS, SHARING_TERMS, type Direction } from './sharing-terms.ts';

export type { Direction } from './sharing-terms.ts';

export interface ContractChange {
  /** Dotted path of what changed (`fields.birthDate`, `minors.under13`, `upstream.hosts`). */
  readonly path: string;
  readonly before: string;
  readonly after: string;
  readonly direction: Direction;
  /** What it means for patrons, in plain words. */
  readonly meaning: string;
}

export interface ContractDiff {
  readonly vendor: string;
  readonly changes: ReadonlyArray<ContractChange>;
  /** True when patrons will be asked to accept the notice again. */
  readonly noticeVersionChanged: boolean;
  /** wider if anything widens (it needs review even if other things narrow), else narrower, else none. */
  readonly overall: 'wider' | 'narrower' | 'none';
}

/**
 * What changes for patrons between two versions of a contract, term by term (see
 * sharing-terms.ts: the notice version hashes the same terms, so every sharing change listed here
 * also changes the notice version), then the contract's dates. Pure. A library can gate contract
 * changes in review on `overall` (the CLI's exit code).
 */
export function diffContracts(before: CompiledContract, after: CompiledContract): ContractDiff {
  const changes: ContractChange[] = [];
  for (const term of SHARING_TERMS) {
    const b = term.describe(before);
    const a = term.describe(after);
    if (b !== a) changes.push({ path: term.path, before: b, after: a, ...term.compare(before, after) });
  }
  for (const term of LISTED_TERMS) {
    const b = term.describe(before);
    const a = term.describe(after);
    if (b !== a) changes.push({ path: term.path, before: b, after: a, direction: 'neutral', meaning: term.meaning });
  }
  const overall = changes.some((c) => c.direction === 'wider') ? 'wider' : changes.some((c) => c.direction === 'narrower') ? 'narrower' : 'none';
  return { vendor: after.id, changes, noticeVersionChanged: before.noticeVersion !== after.noticeVersion, overall };
}

/** The diff as text for a terminal or a review comment. */
export function formatContractDiff(diff: ContractDiff): string {
  if (diff.changes.length === 0) return `${diff.vendor}: no change for patrons${diff.noticeVersionChanged ? ' (but the notice version changed)' : ''}`;
  const lines = [`${diff.vendor}: sharing becomes ${diff.overall.toUpperCase()}`, diff.noticeVersionChanged ? 'Patrons will be asked to accept the notice again.' : 'The notice version is unchanged.', ''];
  for (const c of diff.changes) lines.push(`  ${c.direction === 'wider' ? '+' : c.direction === 'narrower' ? '-' : '~'} ${c.path}: ${c.before} -> ${c.after} (${c.meaning})`);
  return lines.join('\n');
}
