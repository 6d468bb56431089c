import { describe, expect, it } from 'vitest';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

/** `identity.delivery: saml` at startup: which rule becomes which attribute, and every mistake reported with its path. */
const saml = (extra = '', fields = 'fields: { patronId: { action: pseudonymize, as: sub } }', more: Record<string, string> = {}) =>
  contractYaml({ upstream: '', identity: `identity:\n  delivery: saml\n  saml:\n    metadata: sp.metadata.xml\n${extra}`, fields, ...more });

function problemsOf(yaml: string): string[] {
  const problems = compileContractText('vendors/test-vendor.yaml', yaml, { signingKeyConfigured: true }).problems;
  // Every problem says how to fix it.
  for (const problem of problems) expect(problem.fix.length).toBeGreaterThan(5);
  return problems.map((p) => `${p.path}: ${p.message} (${p.fix})`);
}

describe('compiling saml delivery', () => {
  it('maps the REFEDS personalized bundle onto pairwise-id, eduPersonScopedAffiliation, mail, givenName, sn and displayName', () => {
    const contract = compileOrThrow(saml('', '', { preset: 'preset: personalized', fields: '' }));
    const plan = contract.identity.saml;
    expect(plan?.metadataFile).toMatch(/vendors\/sp\.metadata\.xml$/);
    expect(plan?.nameId).toBe('transient');
    expect(plan?.pseudonymView).toBe('sub');
    expect(plan?.attributes.map((a) => [a.kind, a.friendlyName ?? a.name, a.views.join('+'), a.nameFormat])).toEqual([
      ['pairwise-id', 'pairwise-id', 'sub', 'uri'],
      ['value', 'givenName', 'firstName', 'uri'],
      ['value', 'sn', 'lastName', 'uri'],
      ['value', 'mail', 'email', 'uri'],
      ['affiliation', 'eduPersonScopedAffiliation', 'patronType', 'uri'],
      ['display-name', 'displayName', 'firstName+lastName', 'uri'],
    ]);
  });

  it('a generalized value goes under the attribute name the contract declares (uri for URLs and URNs, basic for plain names)', () => {
    const contract = compileOrThrow(saml('    attributes: { ageBand: https://v.example/ageBand, city: cityName }', 'fields: { birthDate: { action: generalize, to: ageBand }, address.city: { action: pass } }'));
    expect(contract.identity.saml?.attributes).toEqual([
      { kind: 'value', views: ['city'], name: 'cityName', nameFormat: 'basic' },
      { kind: 'value', views: ['ageBand'], name: 'https://v.example/ageBand', nameFormat: 'uri' },
    ]);
  });

  it('a declared name overrides the standard one, and only one name passed gives no displayName', () => {
    const contract = compileOrThrow(saml('    attributes: { email: urn:oid:1.2.3 }', 'fields: { email: { action: pass }, firstName: { action: pass } }'));
    expect(contract.identity.saml?.attributes.map((a) => a.name)).toEqual(['urn:oid:2.5.4.42', 'urn:oid:1.2.3']);
  });

  it('the affiliations and a pairwise-id NameID are kept', () => {
    const contract = compileOrThrow(saml('    nameId: pairwise-id\n    affiliations: { juvenile: student }'));
    expect(contract.identity.saml?.nameId).toBe('pairwise-id');
    expect(contract.identity.saml?.affiliations).toEqual({ juvenile: 'student' });
  });

  it.each([
    ['no identity.saml at all', contractYaml({ upstream: '', identity: 'identity: { delivery: saml }' }), 'identity.saml: saml delivery needs the service provider\'s metadata'],
    ['a released value without a standard attribute or a declared name', saml('', 'fields: { birthDate: { action: generalize, to: ageBand } }'), 'identity.saml.attributes.ageBand: birthDate (generalize to ageBand) has no standard SAML attribute'],
    ['a passed field without a standard attribute (the home branch)', saml('', 'fields: { homeBranch: { action: pass } }'), 'identity.saml.attributes.homeBranch: homeBranch (pass) has no standard SAML attribute'],
    ['a declared name that is not a view name', saml('    attributes: { agebnad: x }'), 'identity.saml.attributes.agebnad: "agebnad" is not a name in the vendor view'],
    ['two values under one attribute name', saml('    attributes: { ageBand: urn:oid:0.9.2342.19200300.100.1.3 }', 'fields: { email: { action: pass }, birthDate: { action: generalize, to: ageBand } }'), 'identity.saml.attributes: the attribute urn:oid:0.9.2342.19200300.100.1.3 would carry two values of the view'],
    ['a pairwise-id NameID without a patronId pseudonym', saml('    nameId: pairwise-id', 'fields: { patronType: { action: pass } }'), 'identity.saml.nameId: a pairwise-id NameID carries the patronId pseudonym, and no rule pseudonymizes patronId'],
    ['an upstream (the patron uses the SP directly)', saml('', undefined, { upstream: 'upstream: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1] }' }), 'upstream: a saml vendor signs patrons in'],
    ['identity.names (attribute names go in identity.saml.attributes)', contractYaml({ upstream: '', identity: 'identity:\n  delivery: saml\n  names: { sub: x }\n  saml: { metadata: a.xml }' }), 'identity.names: "names" does not apply to saml delivery'],
    ['identity.saml on another delivery', contractYaml({ identity: 'identity:\n  delivery: jwt\n  saml: { metadata: a.xml }' }), 'identity.saml: "saml" only applies to saml delivery (this is jwt)'],
    ['a grant with saml delivery', saml('', 'fields: {}', { kind: 'kind: grant', report: 'report: { dimensions: [{ name: Age, from: birthDate, generalize: ageBand }], measures: [participants] }' }), 'identity.delivery: a grant has no patrons to sign in to a service'],
    ['a metadata file that is not .xml', contractYaml({ upstream: '', identity: 'identity:\n  delivery: saml\n  saml: { metadata: sp.txt }' }), 'identity.saml.metadata: is not in the expected format (regex) (name an .xml file'],
    ['an attribute name with spaces', saml('    attributes: { sub: "not a name" }'), 'identity.saml.attributes.sub: is not in the expected format (regex) (use an attribute name'],
  ])('refuses %s', (_name, yaml, expected) => {
    expect(problemsOf(yaml).some((problem) => problem.startsWith(expected))).toBe(true);
  });

  it('a saml vendor needs no upstream, and the names check of other deliveries is unchanged', () => {
    expect(problemsOf(saml())).toEqual([]);
    expect(problemsOf(contractYaml({ identity: 'identity:\n  delivery: jwt\n  names: { sub: x }' }))).toContain('identity.names: "names" only applies to headers, form or query delivery (remove it)');
  });
});
