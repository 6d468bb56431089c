import { CANONICAL_FIELDS } from '../policy/canonical-fields.ts';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import type { CompiledContract } from './compiled-contract.ts';
import type { MinorPolicy } from './contract-schema.ts';

/** Whether a change lets more about patrons leave (wider), less (narrower), or neither. */
export type Direction = 'wider' | 'narrower' | 'neutral';

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

/** How much of a field each generalization reveals, within one field; higher reveals more. */
const GENERALIZATION_RANK: Readonly<Record<string, number>> = { isUnder13: 1, isMinor: 1, ageBand: 2, postalCode3: 2, emailDomain: 2, state: 2, city: 3, birthYear: 3 };

function describeRule(rule: CompiledRule | undefined): string {
  if (!rule || rule.action === 'drop') return 'withheld';
  const what = rule.action === 'generalize' ? `generalize to ${rule.generalization?.name}${rule.options.bands ? ` [${rule.options.bands.map((b) => b.label).join(', ')}]` : ''}` : rule.action;
  return `${what} as ${rule.as}${rule.consent ? ` (consent ${rule.consent})` : ''}`;
}

/** 0 withheld, 1 pseudonymized, 2-4 generalized by rank, 5 passed. */
function disclosure(rule: CompiledRule | undefined): number {
  if (!rule || rule.action === 'drop') return 0;
  if (rule.action === 'pseudonymize') return 1;
  if (rule.action === 'generalize') return 1 + (GENERALIZATION_RANK[rule.generalization?.name ?? ''] ?? 3);
  return 5;
}

function compareRules(before: CompiledRule | undefined, after: CompiledRule | undefined): Direction {
  const a = disclosure(before);
  const b = disclosure(after);
  if (b > a) return 'wider';
  if (b < a) return 'narrower';
  if (a === 0) return 'neutral';
  // Same kind of release: consent and bands decide.
  if (before?.consent && !after?.consent) return 'wider';
  if (!before?.consent && after?.consent) return 'narrower';
  const bandsBefore = before?.options.bands?.length ?? 5;
  const bandsAfter = after?.options.bands?.length ?? 5;
  if (before?.generalization?.name === 'ageBand' && bandsAfter !== bandsBefore) return bandsAfter > bandsBefore ? 'wider' : 'narrower';
  return 'neutral';
}

/** How much a minors policy lets leave about a child: block and anonymous nothing, parental-consent the adult view. */
const MINOR_SHARING: Readonly<Record<MinorPolicy | 'adult rules', number>> = { block: 0, anonymous: 0, 'parental-consent': 1, 'adult rules': 2 };

/**
 * What changes for patrons between two versions of a contract, field by field. Pure. A library
 * can gate contract changes in review on `overall` (the CLI's exit code).
 */
export function diffContracts(before: CompiledContract, after: CompiledContract): ContractDiff {
  const changes: ContractChange[] = [];
  const add = (path: string, b: string, a: string, direction: Direction, meaning: string): void => void changes.push({ path, before: b, after: a, direction, meaning });

  for (const field of CANONICAL_FIELDS) {
    const b = before.ruleFor.get(field);
    const a = after.ruleFor.get(field);
    const db = describeRule(b);
    const da = describeRule(a);
    if (db === da) continue;
    const direction = compareRules(b, a);
    add(`fields.${field}`, db, da, direction, direction === 'wider' ? `vendors will receive more of ${field}` : direction === 'narrower' ? `vendors will receive less of ${field}` : `${field} is sent differently`);
  }
  for (const group of ['under13', 'under18'] as const) {
    const b = before.minors[group] ?? 'adult rules';
    const a = after.minors[group] ?? 'adult rules';
    if (b === a) continue;
    const direction: Direction = MINOR_SHARING[a] > MINOR_SHARING[b] ? 'wider' : MINOR_SHARING[a] < MINOR_SHARING[b] ? 'narrower' : 'neutral';
    add(`minors.${group}`, b, a, direction, `patrons ${group === 'under13' ? 'under 13' : 'aged 13 to 17'}: ${a}`);
  }
  if (before.identity.delivery !== after.identity.delivery) {
    const direction: Direction = before.identity.delivery === 'none' ? 'wider' : after.identity.delivery === 'none' ? 'narrower' : 'neutral';
    add('identity.delivery', before.identity.delivery, after.identity.delivery, direction, 'how the vendor view is delivered');
  }
  const hostsBefore = new Set(before.upstream?.hosts ?? []);
  const hostsAfter = new Set(after.upstream?.hosts ?? []);
  const addedHosts = [...hostsAfter].filter((h) => !hostsBefore.has(h));
  const removedHosts = [...hostsBefore].filter((h) => !hostsAfter.has(h));
  if (addedHosts.length > 0) add('upstream.hosts', [...hostsBefore].join(', '), [...hostsAfter].join(', '), 'wider', `requests may now reach ${addedHosts.join(', ')}`);
  else if (removedHosts.length > 0) add('upstream.hosts', [...hostsBefore].join(', '), [...hostsAfter].join(', '), 'narrower', `requests may no longer reach ${removedHosts.join(', ')}`);
  const headersAdded = after.request.headers.filter((h) => !before.request.headers.includes(h));
  const headersRemoved = before.request.headers.filter((h) => !after.request.headers.includes(h));
  if (headersAdded.length > 0 || headersRemoved.length > 0) {
    add('request.headers', before.request.headers.join(', ') || '(none)', after.request.headers.join(', ') || '(none)', headersAdded.length > 0 ? 'wider' : 'narrower', 'extra request headers the vendor receives');
  }
  if (before.request.onPatronData !== after.request.onPatronData) {
    const wider = after.request.onPatronData === 'redact';
    add('request.onPatronData', before.request.onPatronData, after.request.onPatronData, wider ? 'wider' : 'narrower', wider ? 'requests holding patron values will be sent with the values redacted instead of blocked' : 'requests holding patron values will be blocked');
  }
  if (before.report || after.report) {
    const dims = (c: CompiledContract): string[] => (c.report?.dimensions ?? []).map((d) => `${d.from}:${d.generalize}${d.bands ? `[${d.bands.map((b) => b.label).join(',')}]` : ''}`);
    const b = dims(before);
    const a = dims(after);
    if (b.join(' ') !== a.join(' ')) {
      const added = a.filter((d) => !b.includes(d));
      add('report.dimensions', b.join(', '), a.join(', '), added.length > 0 ? 'wider' : 'narrower', added.length > 0 ? `the grantor gets new breakdowns: ${added.join(', ')}` : 'the grantor gets fewer breakdowns');
    }
    const kb = before.report?.minCellSize ?? 0;
    const ka = after.report?.minCellSize ?? 0;
    if (kb !== ka) add('report.minCellSize', String(kb), String(ka), ka < kb ? 'wider' : 'narrower', ka < kb ? 'smaller groups of people will be published' : 'only larger groups of people will be published');
    if ((before.report?.totals ?? false) !== (after.report?.totals ?? false)) add('report.totals', String(before.report?.totals), String(after.report?.totals), after.report?.totals ? 'wider' : 'narrower', 'totals are published');
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
