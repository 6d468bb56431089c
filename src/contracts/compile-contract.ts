import { pickText } from '../lib/localized-text.ts';
import { describeNeverReleasable, isCanonicalField, CANONICAL_FIELDS, type CanonicalField } from '../policy/canonical-fields.ts';
import { ACTIONS_BY_NAME } from '../policy/actions/index.ts';
import { parseAgeBands } from '../policy/age-bands.ts';
import type { BrowseDocument } from './browse-schema.ts';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import { GENERALIZATIONS } from '../policy/generalizations/index.ts';
import type { Problem } from '../lib/problem.ts';
import { describeSuggestion } from '../lib/suggest-name.ts';
import type { CompiledContract } from './compiled-contract.ts';
import { compileReport } from './compile-report.ts';
import type { ContractDocument, FieldRuleDocument } from './contract-schema.ts';
import { computeNoticeVersion } from './notice-version.ts';
import { PRESET_FIELDS } from './presets.ts';
import { isNeverForwarded } from '../policy/request-headers.ts';
import { whyNeverPassed } from '../policy/response-headers.ts';
import { planFields } from '../policy/field-plan.ts';
import { compileSip2Delivery } from './compile-sip2-delivery.ts';
import type { CompiledSip2Delivery } from './compiled-sip2-delivery.ts';
import { compileSamlDelivery } from './compile-saml-delivery.ts';
import type { CompiledSamlDelivery } from './compiled-saml-delivery.ts';
import { compileOidcDelivery } from './compile-oidc-delivery.ts';
import type { CompiledOidcDelivery } from './compiled-oidc-delivery.ts';

export interface CompileContext {
  /** The file the contract came from, for messages. */
  readonly file: string;
  /** The file name without extension: the contract's `id` must equal it. */
  readonly expectedId: string;
  /** Whether the settings configure at least one assertion signing key (needed by `jwt` delivery). */
  readonly signingKeyConfigured: boolean;
}

const DEFAULT_JWT_HEADER = 'Authorization';
const DEFAULT_JWT_LIFETIME = 300;

/**
 * Checks what the schema cannot (field names, actions against fields, hosts, keys, delivery) and
 * compiles a parsed contract into its frozen form. Every problem is reported, none stops the
 * others from being found.
 */
export function compileContract(document: ContractDocument, context: CompileContext): { contract?: CompiledContract; problems: Problem[] } {
  const { file } = context;
  const inspected = inspectContract(document, new Set(), context);
  const { problems, rules, ruleFor, report, sip2, saml, oidc } = inspected;
  if (problems.length > 0) return { problems };
  const identity = document.identity;
  const upstream = document.upstream;
  const minors = Object.freeze({ under13: document.minors.under13, ...(document.minors.under18 ? { under18: document.minors.under18 } : {}) });
  const subject: Omit<CompiledContract, 'noticeVersion'> = {
    id: document.id,
    name: document.name,
    kind: document.kind,
    purpose: pickText(document.purpose, 'en'),
    purposeText: typeof document.purpose === 'string' ? document.purpose : Object.freeze({ ...document.purpose }),
    consentLabels: Object.freeze({ ...(document.consents ?? {}) }),
    file,
    contract: Object.freeze({ ...document.contract }),
    ...(upstream ? { upstream: compileUpstream(upstream) } : {}),
    inForce: Object.freeze({ fromMs: Date.parse(`${document.contract.effective}T00:00:00Z`), untilMs: Date.parse(`${document.contract.expires}T00:00:00Z`) + DAY_MS }),
    identity: Object.freeze({
      delivery: identity.delivery,
      header: identity.header ?? DEFAULT_JWT_HEADER,
      lifetimeSeconds: identity.lifetimeSeconds ?? DEFAULT_JWT_LIFETIME,
      names: Object.freeze({ ...(identity.names ?? {}) }),
      ...(sip2 ? { sip2 } : {}),
      ...(saml ? { saml } : {}),
      ...(oidc ? { oidc } : {}),
    }),
    ...(document.preset ? { preset: document.preset } : {}),
    rules: Object.freeze(rules),
    ruleFor,
    plan: planFields(ruleFor),
    minors,
    request: Object.freeze({
      headers: Object.freeze(document.request.headers.map((h) => h.toLowerCase())),
      headerSet: new Set(document.request.headers.map((h) => h.toLowerCase())),
      onPatronData: document.request.onPatronData,
      ...(document.request.bodyTypes ? { bodyTypes: Object.freeze([...document.request.bodyTypes]) } : {}),
    }),
    response: Object.freeze({ headerSet: new Set(document.response.headers.map((h) => h.toLowerCase())) }),
    ...(report ? { report } : {}),
    ...(document.browse ? { browse: freezeBrowse(document.browse) } : {}),
  };
  const contract: CompiledContract = { ...subject, noticeVersion: computeNoticeVersion(subject) };
  return { contract: Object.freeze(contract), problems };
}

/**
 * The meaning checks of a contract whose schema check failed in places: every check runs whose
 * sections matched the schema (see parseContractSections), so schema mistakes and field mistakes
 * are reported together, in one run.
 */
export function checkContractParts(parts: { readonly document: Partial<ContractDocument>; readonly failed: ReadonlySet<string> }, context: CompileContext): Problem[] {
  return inspectContract(parts.document, parts.failed, context).problems;
}

/** Whether a section can be checked: it matched the schema (it may still be absent when optional). */
function usable(failed: ReadonlySet<string>, section: keyof ContractDocument): boolean {
  return !failed.has(section);
}

function inspectContract(
  document: Partial<ContractDocument>,
  failed: ReadonlySet<string>,
  context: CompileContext,
): { problems: Problem[]; rules: CompiledRule[]; ruleFor: Map<CanonicalField, CompiledRule>; report?: CompiledContract['report']; sip2?: CompiledSip2Delivery; saml?: CompiledSamlDelivery; oidc?: CompiledOidcDelivery } {
  const { file } = context;
  const problems: Problem[] = [];
  const push = (path: string, message: string, fix: string): void => void problems.push({ file, path, message, fix });

  if (document.id !== undefined && document.id !== context.expectedId) {
    push('id', `id "${document.id}" does not match the file name "${context.expectedId}"`, `rename the file to ${document.id}.yaml or set id: ${context.expectedId}`);
  }
  if (document.contract && document.contract.expires < document.contract.effective) {
    push('contract.expires', 'the contract expires before it takes effect', 'check the dates: expires must be on or after effective');
  }

  // Rules: the preset first, then `fields` on top of it. Every rule that matched the schema is checked.
  const written = new Map<string, { rule: FieldRuleDocument; origin: 'fields' | 'preset' }>();
  if (document.preset) for (const [field, rule] of Object.entries(PRESET_FIELDS[document.preset])) written.set(field, { rule, origin: 'preset' });
  for (const [field, rule] of Object.entries(document.fields ?? {})) written.set(field, { rule, origin: 'fields' });
  // The rule set is whole when no rule (and no preset) failed the schema: only then do checks across rules run.
  const rulesWhole = usable(failed, 'fields') && usable(failed, 'preset');
  let rulesValid = true;

  const ruleFor = new Map<CanonicalField, CompiledRule>();
  for (const [field, { rule, origin }] of written) {
    const path = origin === 'fields' ? `fields.${field}` : `preset (${document.preset}).${field}`;
    const forbidden = describeNeverReleasable(field);
    if (forbidden !== undefined) {
      push(path, `"${field}" is ${forbidden}, which is never releasable whatever the contract says`, 'remove this rule; the gateway will not send it');
      rulesValid = false;
      continue;
    }
    if (!isCanonicalField(field)) {
      push(path, `"${field}" is not a patron field`, `${describeSuggestion(field, CANONICAL_FIELDS)}use one of the canonical fields: ${CANONICAL_FIELDS.join(', ')}`);
      rulesValid = false;
      continue;
    }
    const action = ACTIONS_BY_NAME[rule.action];
    const ruleProblems = action.validate(field, rule);
    for (const p of ruleProblems) push(`${path}.${p.key}`, p.message, p.fix);
    if (ruleProblems.length > 0) {
      rulesValid = false;
      continue;
    }
    const generalization = rule.action === 'generalize' && rule.to !== undefined ? GENERALIZATIONS.get(rule.to) : undefined;
    const parsedBands = rule.bands ? parseAgeBands(rule.bands) : undefined;
    ruleFor.set(
      field,
      Object.freeze({
        field,
        action: rule.action,
        as: rule.as ?? defaultViewName(field, rule, generalization?.name),
        ...(rule.consent !== undefined ? { consent: rule.consent } : {}),
        ...(generalization ? { generalization } : {}),
        options: Object.freeze(parsedBands && 'bands' in parsedBands ? { bands: Object.freeze(parsedBands.bands) } : {}),
        origin,
      }),
    );
  }
  const rules = CANONICAL_FIELDS.flatMap((f) => {
    const r = ruleFor.get(f);
    return r ? [r] : [];
  });
  const released = rules.filter((r) => r.action !== 'drop');

  // Two fields may not land on the same name in the vendor view.
  const viewNames = new Map<string, CanonicalField>();
  for (const rule of released) {
    const other = viewNames.get(rule.as);
    if (other !== undefined) {
      push(`fields.${rule.field}.as`, `"${rule.as}" is already the name of ${other} in the vendor view`, `give one of them another name with as:`);
    }
    viewNames.set(rule.as, rule.field);
  }

  // Identity delivery.
  const identity = document.identity;
  if (identity?.delivery === 'jwt') {
    if (!context.signingKeyConfigured) {
      push('identity.delivery', 'jwt delivery needs an assertion signing key, and the settings configure none', 'add a key under secrets.assertionKeys in the settings (or use the demo settings while trying things out)');
    }
    // A grant's assertion speaks for the library when a report is submitted: it has no patron in it.
    const pseudonymizes = [...written.values()].some(({ rule }) => rule.action === 'pseudonymize');
    if (rulesWhole && document.kind !== undefined && document.kind !== 'grant' && !pseudonymizes) {
      push('identity.delivery', 'jwt delivery puts a pseudonym in "sub", but no rule pseudonymizes patronId', 'add fields.patronId: { action: pseudonymize, as: sub } or use preset: pseudonymous');
    }
  } else if (identity) {
    if (identity.header !== undefined) push('identity.header', '"header" only applies to jwt delivery', 'remove it');
    if (identity.lifetimeSeconds !== undefined) push('identity.lifetimeSeconds', '"lifetimeSeconds" only applies to jwt delivery', 'remove it');
  }
  if (identity?.delivery === 'none' && released.length > 0) {
    push(
      'identity.delivery',
      `delivery is none, yet the rules release ${released.map((r) => r.field).join(', ')}; a notice would promise sharing that never happens`,
      'choose a delivery (jwt, headers, form or query) or drop those fields',
    );
  }
  if (identity?.names !== undefined) {
    if (identity.delivery === 'saml') {
      push('identity.names', '"names" does not apply to saml delivery', 'remove it; SAML attribute names go in identity.saml.attributes');
    } else if (identity.delivery === 'none' || identity.delivery === 'jwt' || identity.delivery === 'oidc') {
      push('identity.names', `"names" only applies to headers, form or query delivery`, 'remove it');
    } else if (rulesWhole && rulesValid) {
      for (const name of Object.keys(identity.names)) {
        if (!viewNames.has(name)) {
          push(`identity.names.${name}`, `"${name}" is not a name in the vendor view`, `${describeSuggestion(name, viewNames.keys())}use one of: ${[...viewNames.keys()].join(', ') || '(the view is empty)'}`);
        }
      }
    }
  }

  // SIP2 delivery: the vendor's server connects to the mediator; the answer carries only what SIP2 can.
  let sip2: CompiledSip2Delivery | undefined;
  const isSip2 = identity?.delivery === 'sip2';
  if (identity?.sip2 !== undefined && identity.delivery !== 'sip2') {
    push('identity.sip2', `"sip2" only applies to sip2 delivery (this is ${identity.delivery})`, 'remove it, or set identity.delivery: sip2');
  }
  if (isSip2 && document.kind === 'grant') push('identity.delivery', 'a grant has no patrons to answer for over SIP2', 'use delivery none or jwt for a grant');
  if (isSip2 && rulesWhole && rulesValid) {
    sip2 = compileSip2Delivery({ sip2: identity.sip2, names: identity.names, released }, push);
  }

  // SAML delivery: the vendor is a SAML service provider; the gateway signs it in and sends an assertion.
  let saml: CompiledSamlDelivery | undefined;
  const isSaml = identity?.delivery === 'saml';
  if (identity?.saml !== undefined && !isSaml) {
    push('identity.saml', `"saml" only applies to saml delivery (this is ${identity?.delivery})`, 'remove it, or set identity.delivery: saml');
  }
  if (isSaml && document.kind === 'grant') push('identity.delivery', 'a grant has no patrons to sign in to a service', 'use delivery none or jwt for a grant');
  if (isSaml && rulesWhole && rulesValid) {
    saml = compileSamlDelivery({ saml: identity.saml, file, released }, push);
  }
  // OpenID Connect delivery: the vendor's client signs patrons in at the gateway's provider; no proxy.
  let oidc: CompiledOidcDelivery | undefined;
  const isOidc = identity?.delivery === 'oidc';
  if (identity?.oidc !== undefined && !isOidc) {
    push('identity.oidc', `"oidc" only applies to oidc delivery (this is ${identity.delivery})`, 'remove it, or set identity.delivery: oidc');
  }
  if (isOidc && !context.signingKeyConfigured) {
    push('identity.delivery', 'oidc delivery signs ID tokens with an assertion signing key, and the settings configure none', 'add a key under secrets.assertionKeys in the settings (or use the demo settings while trying things out)');
  }
  if (isOidc && document.kind === 'grant') push('identity.delivery', 'a grant has no patrons to sign in', 'use delivery none or jwt for a grant');
  if (isOidc && rulesWhole && rulesValid) {
    oidc = compileOidcDelivery({ oidc: identity.oidc, released }, push);
  }

  // Upstream and its host allowlist.
  const upstream = document.upstream;
  if (upstream && isSaml) {
    push('upstream', 'a saml vendor signs patrons in through the gateway\'s SAML identity provider and is then used directly; it has no upstream to forward to', 'remove upstream (the SP\'s addresses come from its metadata)');
  } else if (upstream && isOidc) {
    push('upstream', 'an oidc vendor signs patrons in at the gateway\'s OpenID Connect provider; the gateway forwards nothing to it', 'remove upstream (the vendor\'s client is identity.oidc)');
  } else if (upstream && isSip2) {
    push('upstream', 'a sip2 vendor connects to the gateway\'s SIP2 mediator; it has no upstream to forward to', 'remove upstream, and give the vendor SIP2 credentials under sip2Mediator.vendors in the settings');
  } else if (upstream) {
    const host = new URL(upstream.url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const hosts = upstream.hosts.map((h) => h.toLowerCase());
    if (!hosts.includes(host)) {
      push('upstream.url', `the URL's host "${host}" is not in upstream.hosts`, `add "${host}" to upstream.hosts, or correct the URL`);
    }
  } else if (usable(failed, 'upstream') && document.kind !== undefined && document.kind !== 'grant' && !isSip2 && !isSaml && !isOidc) {
    push('upstream', `a ${document.kind} vendor needs an upstream to forward to`, 'add upstream: { url: ..., hosts: [...] }');
  }

  // Extra request headers may not reopen what the gateway always removes.
  document.request?.headers.forEach((header, index) => {
    if (isNeverForwarded(header)) {
      push(`request.headers[${index}]`, `"${header}" is never forwarded to vendors (it can carry the patron's identity, address or session)`, 'remove it from request.headers');
    }
  });

  // Extra response headers may not act on the gateway's origin, nor replace what it rewrites.
  document.response?.headers.forEach((header, index) => {
    const reason = whyNeverPassed(header);
    if (reason !== undefined) push(`response.headers[${index}]`, `"${header}" never reaches the browser from a vendor (${reason})`, 'remove it from response.headers');
  });

  // Grant reports.
  let report: CompiledContract['report'];
  if (document.kind === 'grant') {
    if (document.report) {
      const compiled = compileReport(file, document.report);
      problems.push(...compiled.problems);
      report = compiled.report;
    } else if (usable(failed, 'report')) push('report', 'a grant contract needs a report section', 'add report: { dimensions: [...], measures: [participants] }');
  } else if (document.report && document.kind !== undefined) {
    push('report', `"report" only applies to kind: grant (this is ${document.kind})`, 'remove it or set kind: grant');
  }

  return { problems, rules, ruleFor, ...(report ? { report } : {}), ...(sip2 ? { sip2 } : {}), ...(saml ? { saml } : {}), ...(oidc ? { oidc } : {}) };
}

const DAY_MS = 86_400_000;

/** The upstream with its origin and base path worked out once, for every request to reuse. */
function compileUpstream(upstream: { url: string; hosts: ReadonlyArray<string>; timeoutMs: number; pin?: Readonly<Record<string, string>> | undefined }): NonNullable<CompiledContract['upstream']> {
  const url = new URL(upstream.url);
  return Object.freeze({
    url: upstream.url,
    hosts: Object.freeze(upstream.hosts.map((h) => h.toLowerCase())),
    timeoutMs: upstream.timeoutMs,
    origin: url.origin,
    basePath: url.pathname.replace(/\/$/, ''),
    ...(upstream.pin ? { pin: Object.freeze(Object.fromEntries(Object.entries(upstream.pin).map(([host, address]) => [host.toLowerCase(), address]))) } : {}),
  });
}

/** The browse section, deeply frozen (contracts are frozen after boot). */
function freezeBrowse(browse: BrowseDocument): BrowseDocument {
  return Object.freeze({
    domains: Object.freeze([...browse.domains]) as string[],
    scriptHosts: Object.freeze([...browse.scriptHosts]) as string[],
    replace: Object.freeze(browse.replace.map((rule) => Object.freeze({ ...rule, ...(rule.types ? { types: Object.freeze([...rule.types]) as string[] } : {}) }))) as BrowseDocument['replace'],
    neverProxy: Object.freeze([...browse.neverProxy]) as string[],
    block: Object.freeze({ paths: Object.freeze([...browse.block.paths]) as string[], hosts: Object.freeze([...browse.block.hosts]) as string[], defaults: browse.block.defaults }),
  });
}

function defaultViewName(field: CanonicalField, rule: FieldRuleDocument, generalization: string | undefined): string {
  if (rule.action === 'pseudonymize') return 'sub';
  if (generalization !== undefined) return generalization;
  const last = field.split('.').pop() ?? field;
  return last;
}
