import * as z from 'zod';
import { ACTIONS } from '../policy/action-names.ts';
import { MINOR_POLICIES } from '../policy/minor-policies.ts';
import { sip2DeliverySchema } from './sip2-delivery-schema.ts';
import { browseSchema } from './browse-schema.ts';
import { samlDeliverySchema } from './saml-delivery-schema.ts';
import { oidcDeliverySchema } from './oidc-delivery-schema.ts';
import { localizedTextSchema } from '../lib/localized-text.ts';
export { ACTIONS, MINOR_POLICIES };
export type { ActionName } from '../policy/action-names.ts';
export type { MinorPolicy } from '../policy/minor-policies.ts';

/**
 * The schema of a vendor contract, `vendors/<id>.yaml`: the machine-readable side of the agreement
 * the library signed. Every key is documented here and in the README; `vendors/schema.json` is
 * generated from this file for editors. The schema checks shapes; `validate-contract.ts` checks
 * meaning (fields, generalizations, hosts, keys) and both report every problem at once.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'write the date as YYYY-MM-DD, for example 2027-12-31')
  .refine((s) => isRealDate(s), 'is not a real calendar date; write a real date as YYYY-MM-DD');

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

const kebabName = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case words joined by hyphens, such as share-email-with-vendors');

export const DELIVERIES = ['none', 'jwt', 'headers', 'form', 'query', 'sip2', 'oidc', 'saml'] as const;
export const PRESETS = ['anonymous', 'pseudonymous', 'personalized'] as const;
export const KINDS = ['econtent', 'database', 'grant'] as const;
export const REPORT_SOURCES = ['birthDate', 'postalCode', 'branch', 'program', 'date'] as const;
export const REPORT_GENERALIZATIONS = ['ageBand', 'isMinor', 'postalCode3', 'none', 'month', 'quarter', 'year'] as const;
export const MEASURES = ['participants', 'attendances'] as const;

/** One field rule: what a vendor gets of one canonical patron field. */
export const fieldRuleSchema = z.strictObject({
  /** pass | pseudonymize | generalize | drop */
  action: z.enum(ACTIONS),
  /** generalize only: the coarser value (birthYear, ageBand, isMinor, isUnder13, postalCode3, city, state, emailDomain). */
  to: z.string().optional(),
  /** The name of the value in the vendor view (JWT claim, header key, form field). Defaults: the field name for pass, the generalization's name, `sub` for a pseudonym. */
  as: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'use letters, digits and underscores, starting with a letter')
    .optional(),
  /** Released only if the patron opted in to this named consent; otherwise withheld. */
  consent: kebabName.optional(),
  /** ageBand only: the bands, in order from 0, such as ["0-12", "13-17", "18-64", "65+"]. */
  bands: z.array(z.string()).min(2).optional(),
  /** Free text for reviewers (for example the contract clause). Not sent anywhere. */
  note: z.string().optional(),
});

const minorsSchema = z.strictObject({
  /** What happens for patrons under 13 (COPPA): block, parental-consent or anonymous. */
  under13: z.enum(MINOR_POLICIES).default('parental-consent'),
  /** Optional stricter rule for patrons under 18. */
  under18: z.enum(MINOR_POLICIES).optional(),
});

const reportDimensionSchema = z.strictObject({
  /** Column name in the published table. */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_ -]*$/, 'use letters, digits, spaces, hyphens and underscores'),
  /** The input column it comes from. */
  from: z.enum(REPORT_SOURCES),
  /** How it is coarsened: ageBand or isMinor (birthDate), postalCode3 (postalCode), month, quarter or year (date), none (branch, program). */
  generalize: z.enum(REPORT_GENERALIZATIONS),
  /** ageBand only: custom bands. */
  bands: z.array(z.string()).min(2).optional(),
  /** Zeros in this dimension are protected like small cells when their group is not empty (default: true for ageBand and isMinor). */
  sensitive: z.boolean().optional(),
  /** A hierarchy: the name of the coarser dimension from the same source this one lies within (a month within its quarter). */
  within: z.string().optional(),
});

const reportSchema = z.strictObject({
  dimensions: z.array(reportDimensionSchema).min(1),
  measures: z.array(z.enum(MEASURES)).min(1),
  /** Cells from 1 to minCellSize-1 are suppressed. At least 5; 11 unless the grantor asks for more. */
  minCellSize: z.number().int().min(5).default(11),
  /** How far below and above its true value every small figure's provable interval must reach (at least 1). */
  protection: z.strictObject({ lower: z.number().int().min(1), upper: z.number().int().min(1) }).default({ lower: 1, upper: 1 }),
  /** What complementary suppression minimizes: the number of cells, or the people in them. */
  suppressionCost: z.enum(['cells', 'people']).default('cells'),
  /** Publish row, column and grand totals. */
  totals: z.boolean().default(true),
  /** The grant's reporting period: every report covers exactly one such period (`--period`). */
  period: z.enum(['month', 'quarter', 'year']).optional(),
  /**
   * Optional differential-privacy noise. Epsilon is per person: each person counts for at most
   * maxAttendancesPerPerson attendances in at most maxCellsPerPerson detailed cells (rows past the
   * bounds are left out), and the budget is split across every figure they can affect.
   */
  noise: z
    .strictObject({
      mechanism: z.literal('discrete-laplace'),
      epsilon: z.number().positive().max(10),
      maxAttendancesPerPerson: z.number().int().min(1).max(10_000),
      maxCellsPerPerson: z.number().int().min(1).max(10_000),
    })
    .optional(),
});

export const contractSchema = z.strictObject({
  /** Vendor id; must equal the file name without `.yaml`. Appears in URLs (`/v/<id>/`) and metrics. */
  id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case letters, digits and hyphens, such as ebooks-demo'),
  /** Display name shown to patrons. */
  name: z.string().min(1),
  kind: z.enum(KINDS),
  /** Why the library uses this vendor, in a patron's words: one text, or one per shipped language (`{ en: ..., es: ... }`). */
  purpose: localizedTextSchema,
  /** Consent name -> its label for patrons ("email me when a hold is ready"), one text or one per shipped language. Default: the settings' labels.consents. */
  consents: z.record(kebabName, localizedTextSchema).optional(),
  contract: z.strictObject({
    reference: z.string().min(1),
    effective: isoDate,
    expires: isoDate,
    reviewed: isoDate.optional(),
    privacyPolicy: z.url({ protocol: /^https?$/ }).optional(),
  }),
  /** Where requests go, and the only hosts the gateway may ever contact for this vendor. */
  upstream: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      hosts: z.array(z.string().min(1)).min(1),
      timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
      /**
       * Pinned addresses: host -> IP address the gateway connects to, whatever DNS says. Without a pin,
       * browse mode refuses loopback, private, link-local and metadata addresses.
       */
      pin: z.record(z.string(), z.string().min(1)).optional(),
    })
    .optional(),
  /** Browse mode: the vendor is a website served on origins of its own (see browse-schema.ts and the README). */
  browse: browseSchema.optional(),
  identity: z
    .strictObject({
      delivery: z.enum(DELIVERIES),
      /** jwt: the request header carrying `Bearer <token>`. */
      header: z.string().regex(/^[A-Za-z0-9-]+$/, 'use a header name such as Authorization').optional(),
      /** jwt: token lifetime in seconds (at most 3600). */
      lifetimeSeconds: z.number().int().min(30).max(3600).optional(),
      /** headers, form, query: view name -> header or parameter name; sip2: view name -> SIP2 field id (such as XI or BE). */
      names: z.record(z.string(), z.string().regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, hyphens and underscores')).optional(),
      /** sip2 only: what the SIP2 answer carries besides the released fields (see the README's SIP2 section). */
      sip2: sip2DeliverySchema.optional(),
      /** saml only: the SP's metadata file, the NameID, and the attribute names of released values (see the README's SAML section). */
      saml: samlDeliverySchema.optional(),
      /** oidc only: the vendor's OpenID Connect client (see the README's OpenID Connect section). */
      oidc: oidcDeliverySchema.optional(),
    })
    .default({ delivery: 'none' }),
  /** A REFEDS access bundle to start from; `fields` extends or narrows it. */
  preset: z.enum(PRESETS).optional(),
  /** Canonical patron field -> rule. Anything not listed (and not in the preset) is withheld. */
  fields: z.record(z.string(), fieldRuleSchema).default({}),
  minors: minorsSchema.default({ under13: 'parental-consent' }),
  request: z
    .strictObject({
      /** Extra request headers this vendor may receive, beyond the gateway's allowlist. */
      headers: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'use a header name such as x-requested-with')).default([]),
      /** The patron's own values found in a request: redact them, or block the request. */
      onPatronData: z.enum(['redact', 'block']).default('block'),
      /**
       * Request body types this vendor accepts (such as application/json). When set, a body of any
       * other type is refused (415), so no unreadable format can carry patron data out.
       */
      bodyTypes: z.array(z.string().regex(/^[a-z0-9.+-]+\/[a-z0-9.+*-]+$/, 'write a media type such as application/json')).optional(),
    })
    .default({ headers: [], onPatronData: 'block' }),
  response: z
    .strictObject({
      /**
       * Extra vendor response headers that reach the patron's browser, beyond the gateway's
       * allowlist (an API's `X-Total-Count`, say). Headers acting on the gateway's whole origin, and
       * those the gateway rewrites or sets itself, are refused at startup.
       */
      headers: z.array(z.string().regex(/^[A-Za-z0-9-]+$/, 'use a header name such as x-total-count')).default([]),
    })
    .default({ headers: [] }),
  /** kind: grant only. */
  report: reportSchema.optional(),
});

export type ContractInput = z.input<typeof contractSchema>;
export type ContractDocument = z.output<typeof contractSchema>;
export type FieldRuleDocument = z.output<typeof fieldRuleSchema>;
export type ReportDocument = z.output<typeof reportSchema>;
export type Delivery = (typeof DELIVERIES)[number];
