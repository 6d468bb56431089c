import type { CompiledSamlDelivery } from '../../../contracts/compiled-saml-delivery.ts';
import type { VendorView } from '../../../minimize/minimize.ts';

/** One attribute of the assertion, ready to render. */
export interface SamlAttribute {
  readonly name: string;
  readonly friendlyName?: string;
  readonly nameFormat: 'uri' | 'basic';
  readonly values: ReadonlyArray<string>;
}

/** What the attributes are scoped and mapped with, besides the view. */
export interface AttributeSettings {
  /** The library's domain (settings saml.scope). */
  readonly scope: string;
  /** patronType -> eduPersonAffiliation (the contract's over the settings'); unlisted types are member. */
  readonly affiliations: Readonly<Record<string, string>>;
}

/**
 * The assertion's attributes, made from the vendor view alone and following the contract's plan:
 * pairwise-id is the pseudonym scoped by the library's domain, eduPersonScopedAffiliation the
 * patron type's affiliation scoped the same way, displayName the passed first and last names; every
 * other attribute carries its view value as it is (one AttributeValue per list item). A value the
 * view does not hold (withheld for want of a consent, say) gives no attribute.
 */
export function mapSamlAttributes(plan: CompiledSamlDelivery, view: VendorView, settings: AttributeSettings): SamlAttribute[] {
  const attributes: SamlAttribute[] = [];
  for (const entry of plan.attributes) {
    const values = entry.views.map((name) => view[name]);
    if (values.some((value) => value === undefined)) continue;
    const first = values[0] as NonNullable<(typeof values)[number]>;
    let out: string[];
    if (entry.kind === 'pairwise-id') out = [`${String(first).toLowerCase()}@${settings.scope}`];
    else if (entry.kind === 'affiliation') out = [`${lookupAffiliation(settings.affiliations, String(first))}@${settings.scope}`];
    else if (entry.kind === 'display-name') out = [values.map(String).join(' ')];
    else out = Array.isArray(first) ? [...(first as ReadonlyArray<string>)] : [String(first)];
    attributes.push({ name: entry.name, ...(entry.friendlyName !== undefined ? { friendlyName: entry.friendlyName } : {}), nameFormat: entry.nameFormat, values: out });
  }
  return attributes;
}

/** The eduPersonAffiliation of a patron type: the mapping's, or member. */
export function lookupAffiliation(affiliations: Readonly<Record<string, string>>, patronType: string): string {
  return Object.hasOwn(affiliations, patronType) ? (affiliations[patronType] as string) : 'member';
}

/** The pairwise id (`pseudonym@scope`) of a view, when the plan carries the patronId pseudonym and the view holds it. */
export function findPairwiseId(plan: CompiledSamlDelivery, view: VendorView, scope: string): string | undefined {
  const value = plan.pseudonymView === undefined ? undefined : view[plan.pseudonymView];
  return value === undefined ? undefined : `${String(value).toLowerCase()}@${scope}`;
}
