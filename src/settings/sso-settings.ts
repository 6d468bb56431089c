import * as z from 'zod';
import { CANONICAL_FIELDS } from '../policy/canonical-fields.ts';
import { secretSource } from './secret-source-schema.ts';

/** Hosts where a provider may be reached over plain http (a provider on this computer, such as a test's). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A claim name (`email`, `https://idp.example/claims/card`) or a dotted path into a claim (`address.postal_code`). */
const claimName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^\S+$/, 'write a claim name without spaces, such as email, or a dotted path such as address.postal_code');

/** One OAuth scope. */
const scope = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/, 'write one scope per list item, such as openid, profile or email');

/**
 * One client of the library's OpenID Connect provider (its single sign-on): the gateway signs
 * people in there with the authorization code flow and PKCE.
 */
const ssoClientShape = {
  /** Shown on the sign-in button: "Sign in with <name>". */
  name: z.string().trim().min(1).max(80),
  /** The provider's issuer identifier; discovery is read from {issuer}/.well-known/openid-configuration. https (http only on this computer). */
  issuer: z.url({ protocol: /^https?$/ }).refine(
    (text) => {
      const url = new URL(text);
      return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
    },
    { message: 'must be https; the library\u2019s provider is reached over https (http only for a provider on this computer)' },
  ),
  /** The client id IT registered for the gateway at the provider. */
  clientId: z.string().min(1).max(256),
  /** The client secret that goes with it (client_secret_basic). */
  clientSecret: secretSource,
  /** Scopes asked for (openid is required); ask only for what the claims mapping uses. */
  scopes: z
    .array(scope)
    .min(1)
    .max(20)
    .default(['openid'])
    .refine((scopes) => scopes.includes('openid'), { message: 'must include openid; add openid to the list (the gateway needs an ID token)' }),
  /** Per request to the provider (discovery, token, userinfo). */
  timeoutMs: z.number().int().min(500).max(60_000).default(5000),
} as const;

/** Who is staff: people whose claim (name or dotted path) holds one of these values (or a list holding one of them). */
export const staffClaimSchema = z.strictObject({
  claim: claimName,
  values: z.array(z.string().min(1).max(200)).min(1).max(50),
});

/** The canonical patron fields a claim may fill (patronId always comes from the provider's `sub`, keyed). */
const MAPPABLE_FIELDS = CANONICAL_FIELDS.filter((field) => field !== 'patronId');

/**
 * `patrons.oidc`: patrons sign in at the library's provider; their record is made from its claims.
 * `claims` maps a canonical field to the claim that holds it.
 */
export const patronSsoSettingsSchema = z
  .strictObject({
    ...ssoClientShape,
    claims: z.record(z.string(), claimName).default({}),
    /** Patrons whose claims say so may also open /staff. */
    staffClaim: staffClaimSchema.optional(),
  })
  .superRefine((oidc, context) => {
    for (const field of Object.keys(oidc.claims)) {
      if (field === 'patronId') {
        context.addIssue({ code: 'custom', path: ['claims', field], message: "cannot be mapped: a signed-in patron's id is always the provider's sub, keyed with the pseudonym secret (stable per person, never the raw claim); remove claims.patronId" });
      } else if (!(MAPPABLE_FIELDS as ReadonlyArray<string>).includes(field)) {
        context.addIssue({ code: 'custom', path: ['claims', field], message: `is not a canonical patron field; use one of ${MAPPABLE_FIELDS.join(', ')}` });
      }
    }
  });

/** `admin.sso`: staff sign in to /staff at the library's provider, with a client of their own (patrons may still use cards). */
export const staffSsoSettingsSchema = z.strictObject({
  ...ssoClientShape,
  /** Required: without it nobody would be staff. */
  staffClaim: staffClaimSchema,
});

export type PatronSsoSettings = z.output<typeof patronSsoSettingsSchema>;
export type StaffSsoSettings = z.output<typeof staffSsoSettingsSchema>;
/** What both kinds of client have in common. */
export type SsoClientSettings = Pick<PatronSsoSettings, 'name' | 'issuer' | 'clientId' | 'clientSecret' | 'scopes' | 'timeoutMs' | 'staffClaim'>;
