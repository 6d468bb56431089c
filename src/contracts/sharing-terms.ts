import { DEFAULT_AGE_BANDS, parseAgeBands } from '../policy/age-bands.ts';
import { CANONICAL_FIELDS } from '../policy/canonical-fields.ts';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import type { CompiledContract } from './compiled-contract.ts';
import type { MinorPolicy } from './contract-schema.ts';
import { SIP2_SHARING_TERMS } from './sip2-sharing-terms.ts';
import { SAML_SHARING_TERMS } from './saml-sharing-terms.ts';
import { OIDC_CLIENT_TERMS, OIDC_SHARING_TERMS } from './oidc-sharing-terms.ts';
import { addedItems, listOrNone, NONE, setTerm, type Direction, type PeriodTerm, type SharingSubject, type SharingTerm } from './sharing-term.ts';

export type { Direction, PeriodTerm, SharingSubject, SharingTerm } from './sharing-term.ts';

const DEFAULT_BANDS = parseAgeBands(DEFAULT_AGE_BANDS);
const DEFAULT_BAND_LIST = 'bands' in DEFAULT_BANDS ? DEFAULT_BANDS.bands : [];

/** How much of a field each generalization reveals, within one field; higher reveals more. */
const GENERALIZATION_RANK: Readonly<Record<string, number>> = { isUnder13: 1, isMinor: 1, ageBand: 2, postalCode3: 2, emailDomain: 2, state: 2, city: 3, birthYear: 3 };

function bandLabels(rule: CompiledRule): ReadonlyArray<string> {
  return (rule.options.bands ?? DEFAULT_BAND_LIST).map((b) => b.label);
}

/** A rule in words; an age band rule always names its bands, so writing the default bands out changes nothing. */
export function describeRule(rule: CompiledRule | undefined): string {
  if (!rule || rule.action === 'drop') return 'withheld';
  const name = rule.generalization?.name;
  const what = rule.action === 'generalize' ? `generalize to ${name}${name === 'ageBand' ? ` [${bandLabels(rule).join(', ')}]` : ''}` : rule.action;
  return `${what} as ${rule.as}${rule.consent ? ` (consent ${rule.consent})` : ''}`;
}

/** 0 withheld, 1 pseudonymized, 2-4 generalized by rank, 5 passed. */
function disclosure(rule: CompiledRule | undefined): number {
  if (!rule || rule.action === 'drop') return 0;
  if (rule.action === 'pseudonymize') return 1;
  if (rule.action === 'generalize') return 1 + (GENERALIZATION_RANK[rule.generalization?.name ?? ''] ?? 3);
  return 5;
}

/** The ages at which an age generalization changes its answer (isMinor: 18), or undefined for any other rule. */
function ageCuts(rule: CompiledRule | undefined): ReadonlySet<number> | undefined {
  switch (rule?.action === 'generalize' ? rule.generalization?.name : undefined) {
    case 'isUnder13':
      return new Set([13]);
    case 'isMinor':
      return new Set([18]);
    case 'ageBand':
      return new Set((rule?.options.bands ?? DEFAULT_BAND_LIST).map((b) => b.min).filter((min) => min > 0));
    default:
      return undefined;
  }
}

function isSubset(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return [...a].every((x) => b.has(x));
}

/**
 * Which way one field's rule moved. Age generalizations compare by the ages they tell apart: a
 * cut the old rule did not have tells the vendor something new (isMinor to isUnder13, or the
 * default bands to isUnder13, whose 12-17 band cannot tell 12 from 13), so it is wider.
 */
export function compareRules(before: CompiledRule | undefined, after: CompiledRule | undefined): Direction {
  const cutsBefore = ageCuts(before);
  const cutsAfter = ageCuts(after);
  if (cutsBefore && cutsAfter) {
    if (!isSubset(cutsAfter, cutsBefore)) return 'wider';
    if (!isSubset(cutsBefore, cutsAfter)) return 'narrower';
  } else {
    const a = disclosure(before);
    const b = disclosure(after);
    if (b > a) return 'wider';
    if (b < a) return 'narrower';
  }
  // Same release: the consent decides.
  if (before?.consent && !after?.consent) return 'wider';
  if (!before?.consent && after?.consent) return 'narrower';
  return 'neutral';
}

/** How much a minors policy lets leave about a child: block and anonymous nothing, parental-consent the adult view. */
const MINOR_SHARING: Readonly<Record<MinorPolicy | 'adult rules', number>> = { block: 0, anonymous: 0, 'parental-consent': 1, 'adult rules': 2 };

/** none sends no identity; query puts the vendor view in URLs, which end up in logs and Referer headers. */
const DELIVERY_EXPOSURE: Readonly<Record<string, number>> = { none: 0, jwt: 1, headers: 1, form: 1, saml: 1, oidc: 1, query: 2 };

function byRank(before: number, after: number): Direction {
  return after > before ? 'wider' : after < before ? 'narrower' : 'neutral';
}

/** What browse mode blocks on the vendor's own hosts: paths, hosts, and the shipped list of analytics paths. */
function listBlocked(c: SharingSubject): ReadonlyArray<string> {
  if (!c.browse) return [];
  const block = c.browse.block;
  return [...block.paths.map((p) => `path ${p}`), ...block.hosts.map((h) => `host ${h}`), ...(block.defaults ? ['the shipped analytics paths'] : [])];
}

function fieldTerm(field: (typeof CANONICAL_FIELDS)[number]): SharingTerm {
  return {
    path: `fields.${field}`,
    describe: (c) => describeRule(c.ruleFor.get(field)),
    compare: (before, after) => {
      const direction = compareRules(before.ruleFor.get(field), after.ruleFor.get(field));
      const meaning = direction === 'wider' ? `vendors will receive more of ${field}` : direction === 'narrower' ? `vendors will receive less of ${field}` : `${field} is sent differently`;
      return { direction, meaning };
    },
  };
}

function minorsTerm(group: 'under13' | 'under18'): SharingTerm {
  const policy = (c: SharingSubject): MinorPolicy | 'adult rules' => c.minors[group] ?? 'adult rules';
  return {
    path: `minors.${group}`,
    describe: policy,
    compare: (before, after) => ({
      direction: byRank(MINOR_SHARING[policy(before)], MINOR_SHARING[policy(after)]),
      meaning: `patrons ${group === 'under13' ? 'under 13' : 'aged 13 to 17'}: ${policy(after)}`,
    }),
  };
}

const upstreamAddress = (c: SharingSubject): string => (c.upstream ? `${c.upstream.origin}${c.upstream.basePath}` : NONE);
const isPlainHttp = (c: SharingSubject): boolean => c.upstream?.origin.startsWith('http:') ?? false;

const noiseOf = (c: SharingSubject): string => (c.report?.noise ? `${c.report.noise.mechanism}, epsilon ${c.report.noise.epsilon}` : NONE);
/** Privacy loss of a report's noise: none is unbounded; a larger epsilon loses more. */
const noiseLoss = (c: SharingSubject): number => c.report?.noise?.epsilon ?? Number.POSITIVE_INFINITY;

const reportDimension = (d: NonNullable<SharingSubject['report']>['dimensions'][number]): string =>
  `${d.from}:${d.generalize}${d.generalize === 'ageBand' ? `[${(d.bands ?? DEFAULT_BAND_LIST).map((b) => b.label).join(' ')}]` : ''}${d.within !== undefined ? ` within ${d.within}` : ''}`;

/**
 * Everything a contract says about what patrons share, where it goes and how: the rules (with
 * their consents and bands), the minors rules, identity delivery (method, header, token lifetime,
 * names), the upstream address and hosts, the request rules and the grant report's disclosure
 * control. The notice version is a hash of these descriptions and the diff compares exactly
 * these, so a change the diff reports always asks patrons again.
 */
export const SHARING_TERMS: ReadonlyArray<SharingTerm> = [
  ...CANONICAL_FIELDS.map(fieldTerm),
  minorsTerm('under13'),
  minorsTerm('under18'),
  {
    path: 'identity.delivery',
    describe: (c) => c.identity.delivery,
    compare: (before, after) => ({
      direction: byRank(DELIVERY_EXPOSURE[before.identity.delivery] ?? 1, DELIVERY_EXPOSURE[after.identity.delivery] ?? 1),
      meaning: after.identity.delivery === 'none' ? 'the vendor will receive no identity' : `the vendor view will be sent by ${after.identity.delivery}`,
    }),
  },
  ...SIP2_SHARING_TERMS,
  ...SAML_SHARING_TERMS,
  ...OIDC_SHARING_TERMS,
  {
    path: 'identity.header',
    describe: (c) => c.identity.header,
    compare: () => ({ direction: 'neutral', meaning: 'the request header that carries the assertion' }),
  },
  {
    path: 'identity.lifetimeSeconds',
    describe: (c) => String(c.identity.lifetimeSeconds),
    compare: (before, after) => {
      const direction = byRank(before.identity.lifetimeSeconds, after.identity.lifetimeSeconds);
      return { direction, meaning: direction === 'wider' ? 'assertions stay usable for longer' : 'assertions expire sooner' };
    },
  },
  {
    path: 'identity.names',
    describe: (c) => listOrNone(Object.entries(c.identity.names).map(([view, name]) => `${view}=${name}`)),
    compare: () => ({ direction: 'neutral', meaning: 'the header or parameter names that carry the vendor view' }),
  },
  {
    path: 'upstream.url',
    describe: upstreamAddress,
    compare: (before, after) => {
      if (!before.upstream) return { direction: 'wider', meaning: 'the gateway will send requests to this vendor' };
      if (!after.upstream) return { direction: 'narrower', meaning: 'the gateway will no longer send requests to this vendor' };
      if (isPlainHttp(after) && !isPlainHttp(before)) return { direction: 'wider', meaning: 'requests will travel unencrypted (http)' };
      if (isPlainHttp(before) && !isPlainHttp(after)) return { direction: 'narrower', meaning: 'requests will travel encrypted (https)' };
      return { direction: 'neutral', meaning: 'requests go to another address of the vendor' };
    },
  },
  setTerm('upstream.hosts', (c) => c.upstream?.hosts ?? [], (added) => `requests may now reach ${added.join(', ')}`, 'requests may reach fewer hosts'),
  setTerm('browse.domains', (c) => c.browse?.domains ?? [], (added) => `requests may now reach every host under ${added.join(', ')}`, 'requests may reach hosts under fewer domains'),
  {
    // Blocking is the other way round: a collection endpoint no longer blocked lets more leave.
    path: 'browse.block',
    describe: (c) => listOrNone(listBlocked(c)),
    compare: (before, after) => {
      const unblocked = addedItems(listOrNone(listBlocked(after)), listOrNone(listBlocked(before)));
      return unblocked.length > 0 ? { direction: 'wider', meaning: `requests to ${unblocked.join(', ')} will no longer be blocked` } : { direction: 'narrower', meaning: 'more collection endpoints will be blocked' };
    },
  },
  setTerm('request.headers', (c) => c.request.headers, (added) => `the vendor will receive the request headers ${added.join(', ')}`, 'the vendor will receive fewer request headers'),
  {
    path: 'request.onPatronData',
    describe: (c) => c.request.onPatronData,
    compare: (_before, after) =>
      after.request.onPatronData === 'redact'
        ? { direction: 'wider', meaning: 'requests holding patron values will be sent with the values redacted instead of blocked' }
        : { direction: 'narrower', meaning: 'requests holding patron values will be blocked' },
  },
  {
    path: 'request.bodyTypes',
    describe: (c) => (c.request.bodyTypes ? listOrNone(c.request.bodyTypes) : '(any)'),
    compare: (before, after) => {
      if (!after.request.bodyTypes) return { direction: 'wider', meaning: 'request bodies of any type will be forwarded' };
      if (!before.request.bodyTypes) return { direction: 'narrower', meaning: 'only the listed request body types will be forwarded' };
      const added = addedItems(listOrNone(before.request.bodyTypes), listOrNone(after.request.bodyTypes));
      return added.length > 0 ? { direction: 'wider', meaning: `request bodies of type ${added.join(', ')} will be forwarded` } : { direction: 'narrower', meaning: 'fewer request body types will be forwarded' };
    },
  },
  {
    path: 'kind',
    describe: (c) => c.kind,
    compare: () => ({ direction: 'neutral', meaning: 'what kind of service this is' }),
  },
  setTerm('report.dimensions', (c) => (c.report?.dimensions ?? []).map(reportDimension), (added) => `the grantor gets new breakdowns: ${added.join(', ')}`, 'the grantor gets fewer breakdowns'),
  setTerm('report.measures', (c) => c.report?.measures ?? [], (added) => `the grantor gets new measures: ${added.join(', ')}`, 'the grantor gets fewer measures'),
  {
    path: 'report.minCellSize',
    describe: (c) => (c.report ? String(c.report.minCellSize) : NONE),
    // No report publishes no group at all: as if the smallest group published were infinitely large.
    compare: (before, after) =>
      (after.report?.minCellSize ?? Number.POSITIVE_INFINITY) < (before.report?.minCellSize ?? Number.POSITIVE_INFINITY)
        ? { direction: 'wider', meaning: 'smaller groups of people will be published' }
        : { direction: 'narrower', meaning: 'only larger groups of people will be published' },
  },
  {
    path: 'report.totals',
    describe: (c) => (c.report ? String(c.report.totals) : NONE),
    compare: (_before, after) => (after.report?.totals ? { direction: 'wider', meaning: 'totals are published' } : { direction: 'narrower', meaning: 'totals are no longer published' }),
  },
  {
    // Finer periods publish more often; no fixed period lets any span (and overlapping ones) be reported.
    path: 'report.period',
    describe: (c) => (c.report ? (c.report.period ?? 'any') : NONE),
    compare: (before, after) => {
      const rank = (c: SharingSubject): number => (c.report ? { year: 1, quarter: 2, month: 3 }[c.report.period ?? 'month'] + (c.report.period ? 0 : 1) : 0);
      const direction = byRank(rank(before), rank(after));
      if (!after.report) return { direction, meaning: 'no reports are published' };
      return { direction, meaning: direction === 'wider' ? 'reports may cover shorter or overlapping periods' : 'reports cover longer, fixed periods' };
    },
  },
  {
    path: 'report.noise',
    describe: noiseOf,
    compare: (before, after) => {
      const direction = byRank(noiseLoss(before), noiseLoss(after));
      return { direction, meaning: direction === 'wider' ? 'published counts will be less noisy' : 'published counts will be noisier' };
    },
  },
];

/** When the contract is in force: listed by the diff, left out of the notice version. */
export const PERIOD_TERMS: ReadonlyArray<PeriodTerm> = [
  { path: 'contract.effective', describe: (c) => c.contract.effective, meaning: 'the first day the contract is in force' },
  { path: 'contract.expires', describe: (c) => c.contract.expires, meaning: 'the last day the contract is in force' },
];

/** Terms the diff lists as neutral and the notice version leaves out: the contract's dates, an OpenID Connect client's registration. */
export const LISTED_TERMS: ReadonlyArray<PeriodTerm> = [...PERIOD_TERMS, ...OIDC_CLIENT_TERMS];
