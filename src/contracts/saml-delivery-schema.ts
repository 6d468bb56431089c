import * as z from 'zod';

/** How the assertion names the patron: a fresh random id per sign-in, or the pairwise id (the vendor's pseudonym, scoped). */
export const SAML_NAME_IDS = ['transient', 'pairwise-id'] as const;

/** eduPersonAffiliation values (eduPerson 202208): what `eduPersonScopedAffiliation` may say before the scope. */
export const EDUPERSON_AFFILIATIONS = ['member', 'student', 'faculty', 'staff', 'employee', 'affiliate', 'alum', 'library-walk-in'] as const;

/** A SAML attribute name: a URI (urn:oid:..., urn:..., https://...) or a plain name of letters, digits, dots, hyphens and underscores. */
export const samlAttributeName = z
  .string()
  .regex(/^(?:urn:[A-Za-z0-9][A-Za-z0-9:._-]*|https?:\/\/[!-~]+|[A-Za-z][A-Za-z0-9._-]*)$/, 'use an attribute name such as urn:oid:1.3.6.1.4.1.5923.1.1.1.1, https://vendor.example/attr/ageBand or ageBand')
  .max(256);

/**
 * `identity.saml`: the vendor is a SAML service provider and the gateway its identity provider
 * (`identity.delivery: saml`). The SP's entity id, assertion consumer services and signing
 * certificate come from its metadata file; the REFEDS/eduPerson attributes come from the rules
 * (pairwise-id from the patronId pseudonym, eduPersonScopedAffiliation from patronType, mail,
 * givenName, sn and displayName from passed email and names); every other released value needs an
 * attribute name here.
 */
export const samlDeliverySchema = z.strictObject({
  /** The SP's SAML metadata (an EntityDescriptor with one SPSSODescriptor), a file next to the contract. */
  metadata: z.string().min(1).regex(/^[^\0]+\.xml$/i, 'name an .xml file next to the contract, such as journals-saml-demo.metadata.xml'),
  /** NameID of the assertion: transient (default: a fresh random id per sign-in) or pairwise-id (the scoped pseudonym, format persistent). */
  nameId: z.enum(SAML_NAME_IDS).default('transient'),
  /** View name -> SAML attribute name, for released values without a standard eduPerson/REFEDS attribute (generalized values, say). */
  attributes: z.record(z.string(), samlAttributeName).default({}),
  /** patronType -> eduPersonAffiliation, for this vendor (overrides the settings' saml.affiliations; unlisted types are member). */
  affiliations: z.record(z.string().min(1), z.enum(EDUPERSON_AFFILIATIONS)).optional(),
});

export type SamlDeliveryDocument = z.output<typeof samlDeliverySchema>;
