import { dirname, resolve } from 'node:path';
import type { CompiledRule } from '../policy/compiled-rule.ts';
import { describeSuggestion } from '../lib/suggest-name.ts';
import type { CompiledSamlDelivery, SamlAttributePlan } from './compiled-saml-delivery.ts';
import { DISPLAY_NAME, PAIRWISE_ID, PASSED_FIELD_ATTRIBUTES, SCOPED_AFFILIATION } from './saml-attribute-names.ts';
import type { SamlDeliveryDocument } from './saml-delivery-schema.ts';

type Push = (path: string, message: string, fix: string) => void;

/** The parts of a contract that `saml` delivery depends on. */
export interface SamlDeliveryInput {
  readonly saml: SamlDeliveryDocument | undefined;
  /** The contract file: the metadata file is next to it. */
  readonly file: string;
  /** Released rules (action other than drop), in canonical order. */
  readonly released: ReadonlyArray<CompiledRule>;
}

/**
 * Checks and compiles `identity.saml`: every released value gets an attribute (the REFEDS or
 * eduPerson one of its rule, or the name the contract declares for its view name), attribute
 * names are used once, declared names are view names, and a pairwise-id NameID has a pseudonym to
 * carry. Every problem is pushed; the compiled delivery comes back only when there is none.
 */
export function compileSamlDelivery(input: SamlDeliveryInput, push: Push): CompiledSamlDelivery | undefined {
  let problems = 0;
  const report: Push = (path, message, fix) => {
    problems++;
    push(path, message, fix);
  };
  if (input.saml === undefined) {
    report('identity.saml', 'saml delivery needs the service provider\'s metadata', 'add identity.saml: { metadata: <the SP metadata file next to this contract> }');
    return undefined;
  }
  const declared = input.saml.attributes;
  const views = new Set(input.released.map((rule) => rule.as));
  for (const view of Object.keys(declared)) {
    if (!views.has(view)) report(`identity.saml.attributes.${view}`, `"${view}" is not a name in the vendor view`, `${describeSuggestion(view, views)}use one of: ${[...views].join(', ') || '(the view is empty)'}`);
  }
  const passed = (field: string): CompiledRule | undefined => input.released.find((rule) => rule.field === field && rule.action === 'pass' && declared[rule.as] === undefined);
  const attributes: SamlAttributePlan[] = [];
  let pseudonymView: string | undefined;
  for (const rule of input.released) {
    const name = declared[rule.as];
    if (name !== undefined) {
      attributes.push(Object.freeze({ kind: 'value', views: Object.freeze([rule.as]), name, nameFormat: formatOf(name) }));
    } else if (rule.field === 'patronId' && rule.action === 'pseudonymize') {
      pseudonymView = rule.as;
      attributes.push(Object.freeze({ kind: 'pairwise-id', views: Object.freeze([rule.as]), ...PAIRWISE_ID, nameFormat: 'uri' }));
    } else if (rule.field === 'patronType' && rule.action === 'pass') {
      attributes.push(Object.freeze({ kind: 'affiliation', views: Object.freeze([rule.as]), ...SCOPED_AFFILIATION, nameFormat: 'uri' }));
    } else {
      const standard = rule.action === 'pass' ? PASSED_FIELD_ATTRIBUTES.get(rule.field) : undefined;
      if (standard === undefined) {
        report(`identity.saml.attributes.${rule.as}`, `${rule.field} (${rule.action}${rule.generalization ? ` to ${rule.generalization.name}` : ''}) has no standard SAML attribute`, `name the attribute the vendor reads: identity.saml.attributes.${rule.as}: <name>, such as https://vendor.example/attributes/${rule.as}`);
        continue;
      }
      attributes.push(Object.freeze({ kind: 'value', views: Object.freeze([rule.as]), ...standard, nameFormat: 'uri' }));
    }
  }
  const first = passed('firstName');
  const last = passed('lastName');
  if (first !== undefined && last !== undefined) attributes.push(Object.freeze({ kind: 'display-name', views: Object.freeze([first.as, last.as]), ...DISPLAY_NAME, nameFormat: 'uri' }));
  const seen = new Set<string>();
  for (const attribute of attributes) {
    if (seen.has(attribute.name)) report('identity.saml.attributes', `the attribute ${attribute.name} would carry two values of the view`, 'give each released value its own attribute name');
    seen.add(attribute.name);
  }
  if (input.saml.nameId === 'pairwise-id' && pseudonymView === undefined) {
    report('identity.saml.nameId', 'a pairwise-id NameID carries the patronId pseudonym, and no rule pseudonymizes patronId', 'add fields.patronId: { action: pseudonymize } (or preset: pseudonymous), or use nameId: transient');
  }
  if (problems > 0) return undefined;
  return Object.freeze({
    metadataFile: resolve(dirname(resolve(input.file)), input.saml.metadata),
    nameId: input.saml.nameId,
    ...(pseudonymView !== undefined ? { pseudonymView } : {}),
    attributes: Object.freeze(attributes),
    ...(input.saml.affiliations !== undefined ? { affiliations: Object.freeze({ ...input.saml.affiliations }) } : {}),
  });
}

function formatOf(name: string): 'uri' | 'basic' {
  return /^(?:urn:|https?:)/.test(name) ? 'uri' : 'basic';
}
