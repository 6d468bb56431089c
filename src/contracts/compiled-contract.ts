import type { BrowseDocument } from './browse-schema.ts';
import type { CanonicalField } from '../policy/canonical-fields.ts';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import type { FieldPlan } from '../policy/field-plan.ts';
import type { AgeBand } from '../policy/age-bands.ts';
import type { Delivery, MinorPolicy } from './contract-schema.ts';
import type { CompiledSip2Delivery } from './compiled-sip2-delivery.ts';
import type { CompiledSamlDelivery } from './compiled-saml-delivery.ts';
import type { CompiledOidcDelivery } from './compiled-oidc-delivery.ts';
import type { LocalizedText } from '../lib/localized-text.ts';

export type ContractKind = 'econtent' | 'database' | 'grant';

/** One published dimension of a grant report. */
export interface CompiledDimension {
  readonly name: string;
  readonly from: 'birthDate' | 'postalCode' | 'branch' | 'program' | 'date';
  readonly generalize: 'ageBand' | 'isMinor' | 'postalCode3' | 'none' | 'month' | 'quarter' | 'year';
  readonly bands?: ReadonlyArray<AgeBand>;
  /** Zeros in this dimension are protected like small cells (see report protection). */
  readonly sensitive?: boolean;
  /** Declared hierarchy: the name of the coarser dimension from the same source (month within quarter). */
  readonly within?: string;
}

export interface CompiledReport {
  readonly dimensions: ReadonlyArray<CompiledDimension>;
  readonly measures: ReadonlyArray<'participants' | 'attendances'>;
  readonly minCellSize: number;
  readonly totals: boolean;
  readonly protection?: { readonly lower: number; readonly upper: number };
  readonly suppressionCost?: 'cells' | 'people';
  /** When set, every report covers exactly one period of this kind. */
  readonly period?: 'month' | 'quarter' | 'year';
  readonly noise?: { readonly mechanism: 'discrete-laplace'; readonly epsilon: number; readonly maxAttendancesPerPerson: number; readonly maxCellsPerPerson: number };
}

/**
 * A contract after validation and compilation: defaults filled in, the preset merged with
 * `fields`, every rule resolved, and the whole object frozen. This one object drives the proxy,
 * the notices, the register, metering and reports.
 */
export interface CompiledContract {
  readonly id: string;
  readonly name: string;
  readonly kind: ContractKind;
  /** The purpose in English (or the one text given for every language). */
  readonly purpose: string;
  /** The purpose in every shipped language, as the contract gives it. */
  readonly purposeText: LocalizedText;
  /** The contract's own labels for the consents it names. */
  readonly consentLabels: Readonly<Record<string, LocalizedText>>;
  /** The file it was loaded from. */
  readonly file: string;
  readonly contract: {
    readonly reference: string;
    /** YYYY-MM-DD, first day in force. */
    readonly effective: string;
    /** YYYY-MM-DD, last day in force. */
    readonly expires: string;
    readonly reviewed?: string;
    readonly privacyPolicy?: string;
  };
  readonly upstream?: {
    readonly url: string;
    readonly hosts: ReadonlyArray<string>;
    readonly timeoutMs: number;
    /** The URL's origin ("https://api.vendor.example"), computed once. */
    readonly origin: string;
    /** The URL's path without a trailing slash ("" for the root), computed once. */
    readonly basePath: string;
    /** Pinned addresses: lower-case host -> IP address (browse mode connects there whatever DNS says). */
    readonly pin?: Readonly<Record<string, string>>;
  };
  /** Browse mode: the vendor's website on origins of its own (the contract's `browse:` section, as written). */
  readonly browse?: BrowseDocument;
  /** When the contract is in force, as epoch milliseconds: from the start of `effective` (UTC) to the end of `expires`. */
  readonly inForce: { readonly fromMs: number; readonly untilMs: number };
  readonly identity: {
    readonly delivery: Delivery;
    /** jwt: header that carries `Bearer <token>`. */
    readonly header: string;
    readonly lifetimeSeconds: number;
    /** headers/form/query: view name -> header or parameter name. */
    readonly names: Readonly<Record<string, string>>;
    /** sip2 delivery: what the SIP2 answer carries (always set for sip2, never otherwise). */
    readonly sip2?: CompiledSip2Delivery;
    /** saml delivery: the SP metadata file and the attribute plan (always set for saml, never otherwise). */
    readonly saml?: CompiledSamlDelivery;
    /** oidc delivery: the vendor's client and its ID token claims (always set for oidc, never otherwise). */
    readonly oidc?: CompiledOidcDelivery;
  };
  readonly preset?: string;
  /** Rules in canonical field order, including explicit drops. */
  readonly rules: ReadonlyArray<CompiledRule>;
  /** The rule for each canonical field, by field. */
  readonly ruleFor: ReadonlyMap<CanonicalField, CompiledRule>;
  /** The minimizer's plan: per canonical field, its rule, action and every decision it can produce. */
  readonly plan: ReadonlyArray<FieldPlan>;
  readonly minors: { readonly under13: MinorPolicy; readonly under18?: MinorPolicy };
  readonly response: {
    /** Extra vendor response headers the browser may receive, lowercase (validated at startup). */
    readonly headerSet: ReadonlySet<string>;
  };
  readonly request: {
    /** Extra request headers this vendor may receive, lowercase. */
    readonly headers: ReadonlyArray<string>;
    /** The same, as a set for the hot path. */
    readonly headerSet: ReadonlySet<string>;
    readonly onPatronData: 'redact' | 'block';
    readonly bodyTypes?: ReadonlyArray<string>;
  };
  readonly report?: CompiledReport;
  /**
   * A hash of the sharing terms (sharing-terms.ts: rules, consents, minors, identity delivery,
   * upstream address and hosts, request rules, report disclosure control), the list the diff
   * compares; not of wording or dates. Patrons acknowledge a notice per version.
   */
  readonly noticeVersion: string;
}
