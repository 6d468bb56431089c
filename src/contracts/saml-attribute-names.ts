/**
 * The attribute names SAML service providers of libraries already expect (REFEDS and eduPerson,
 * with their `urn:oid` names and the uri name format), and which released rule each one carries.
 */
export interface StandardSamlAttribute {
  /** The attribute's Name (NameFormat uri). */
  readonly name: string;
  /** Its FriendlyName, as SPs show it. */
  readonly friendlyName: string;
}

export const PAIRWISE_ID: StandardSamlAttribute = Object.freeze({ name: 'urn:oasis:names:tc:SAML:attribute:pairwise-id', friendlyName: 'pairwise-id' });
export const SCOPED_AFFILIATION: StandardSamlAttribute = Object.freeze({ name: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9', friendlyName: 'eduPersonScopedAffiliation' });
export const MAIL: StandardSamlAttribute = Object.freeze({ name: 'urn:oid:0.9.2342.19200300.100.1.3', friendlyName: 'mail' });
export const GIVEN_NAME: StandardSamlAttribute = Object.freeze({ name: 'urn:oid:2.5.4.42', friendlyName: 'givenName' });
export const SURNAME: StandardSamlAttribute = Object.freeze({ name: 'urn:oid:2.5.4.4', friendlyName: 'sn' });
export const DISPLAY_NAME: StandardSamlAttribute = Object.freeze({ name: 'urn:oid:2.16.840.1.113730.3.1.241', friendlyName: 'displayName' });

/** The standard attribute of a passed canonical field (email, firstName, lastName), if it has one. */
export const PASSED_FIELD_ATTRIBUTES: ReadonlyMap<string, StandardSamlAttribute> = new Map([
  ['email', MAIL],
  ['firstName', GIVEN_NAME],
  ['lastName', SURNAME],
]);
