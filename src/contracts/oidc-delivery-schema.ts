import * as z from 'zod';
import { secretSource } from '../lib/secret-source-schema.ts';
import { OIDC_SCOPES } from '../policy/oidc-claim-names.ts';

/**
 * `identity.oidc`: the vendor's OpenID Connect client, registered by its contract
 * (`identity.delivery: oidc`). The client authenticates at the token endpoint with a secret read
 * from the environment or a file (`clientSecret`), or with a JWT signed by a key of its own
 * (`jwks`, public keys only). No dynamic registration: this is the only way a client exists.
 */
export const oidcDeliverySchema = z.strictObject({
  /** The client_id the vendor's software sends. Unique across contracts. */
  clientId: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'use up to 128 letters, digits, dots, hyphens, underscores or tildes'),
  /** Where the patron's browser returns with the code: exact URLs, https (http only on loopback). */
  redirectUris: z.array(z.string().min(1)).min(1).max(10),
  /** client_secret_basic or client_secret_post: the secret's source ({ env: NAME } or { file: path }, relative to the contract). */
  clientSecret: secretSource.optional(),
  /** private_key_jwt: the client's public keys (a JWKS), instead of a secret. */
  jwks: z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(10) }).optional(),
  /** The scopes the vendor's software may ask for (openid is required). They never widen the claims: the token carries the vendor view. */
  scopes: z.array(z.enum(OIDC_SCOPES)).min(1).default(['openid']),
});

export type OidcDeliveryDocument = z.output<typeof oidcDeliverySchema>;
