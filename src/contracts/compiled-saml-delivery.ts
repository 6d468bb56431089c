/**
 * One attribute of the assertion and the view values it carries:
 * - pairwise-id: the patronId pseudonym, `<pseudonym>@<scope>`;
 * - affiliation: eduPersonScopedAffiliation, the patronType mapped to an eduPerson affiliation, `@<scope>`;
 * - display-name: the passed first and last names, joined by a space;
 * - value: the view value as it is (a list gives one AttributeValue per item).
 */
export interface SamlAttributePlan {
  readonly kind: 'pairwise-id' | 'affiliation' | 'display-name' | 'value';
  /** The view names it is made of (two for display-name, one otherwise). */
  readonly views: ReadonlyArray<string>;
  readonly name: string;
  readonly friendlyName?: string;
  /** uri for URN and URL names, basic for plain ones. */
  readonly nameFormat: 'uri' | 'basic';
}

/** `identity.saml` after validation: the SP metadata file and the attribute plan, worked out once. */
export interface CompiledSamlDelivery {
  /** The SP metadata file, absolute (resolved next to the contract). */
  readonly metadataFile: string;
  readonly nameId: 'transient' | 'pairwise-id';
  /** The view name of the patronId pseudonym, when the contract pseudonymizes patronId. */
  readonly pseudonymView?: string;
  /** In canonical field order. */
  readonly attributes: ReadonlyArray<SamlAttributePlan>;
  /** patronType -> eduPersonAffiliation for this vendor, over the settings' saml.affiliations. */
  readonly affiliations?: Readonly<Record<string, string>>;
}
