import { describe, expect, it } from 'vitest';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { contractYaml } from '../../helpers/contracts.ts';

const FILE = 'vendors/test-vendor.yaml';

function problemsOf(yaml: string) {
  const result = compileContractText(FILE, yaml, { signingKeyConfigured: true });
  expect(result.contract).toBeUndefined();
  return result.problems;
}

/** A contract as a member of staff might first write it: 12 schema mistakes and 5 field mistakes. */
const STAFF_DRAFT = `id: test-vendor
name: Test Vendor
kind: ebook
purpose: ""
colour: blue
contract: { effective: 2026-13-01, expires: 2027-12-31 }
upstream: { url: "https://api.vendor.example", hosts: [api.vendor.example], timeoutMs: 5 }
identity: { delivery: jwt, lifetimeSeconds: 99999 }
minors: { under13: allow }
request: { onPatronData: warn, headers: ["bad header"] }
fields:
  email: { action: passs }
  phone: { action: pass, colour: red }
  ssn: { action: pass }
  birthdate: { action: pass }
  address.postalCode: { action: generalize, to: postalCode5 }
  homeBranch: { action: drop, to: city }
  birthDate: { action: generalize }
`;

describe('a contract with schema and field mistakes reports all of them in one run', () => {
  it('12 schema mistakes and 5 field mistakes give 17 problems, each at its own path', () => {
    const problems = problemsOf(STAFF_DRAFT);
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        // Schema: the shape of each section and each rule.
        'colour',
        'kind',
        'purpose',
        'contract.reference',
        'contract.effective',
        'upstream.timeoutMs',
        'identity.lifetimeSeconds',
        'minors.under13',
        'request.onPatronData',
        'request.headers[0]',
        'fields.email.action',
        'fields.phone.colour',
        // Meaning: the rules that have the right shape.
        'fields.ssn',
        'fields.birthdate',
        'fields.address.postalCode.to',
        'fields.homeBranch.to',
        'fields.birthDate.to',
      ].sort(),
    );
  });

  it('still runs the checks across sections that are right (an id that does not match its file, next to a schema mistake)', () => {
    const problems = problemsOf(contractYaml({ id: 'id: other-vendor', colour: 'colour: red', fields: 'fields: { patronId: { action: pseudonymize }, shoeSize: { action: pass } }' }));
    expect(problems.map((p) => p.path).sort()).toEqual(['colour', 'fields.shoeSize', 'id']);
  });

  it('skips the checks that need a section with schema mistakes, so nothing is reported twice or wrongly (jwt with a misspelt patronId action)', () => {
    const problems = problemsOf(contractYaml({ fields: 'fields: { patronId: { action: pseudonymise } }' }));
    expect(problems.map((p) => p.path)).toEqual(['fields.patronId.action']);
  });
});

describe('did you mean', () => {
  it.each([
    ['a misspelt top-level key', { upstreams: 'upstreams: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1] }', upstream: '' }, 'upstreams', /unknown key "upstreams"/, /^did you mean "upstream"\?/],
    ['a misspelt key inside a rule', { fields: 'fields: { patronId: { action: pseudonymize, consnt: share-id } }' }, 'fields.patronId.consnt', /unknown key "consnt"/, /^did you mean "consent"\?/],
    ['a misspelt canonical field', { fields: 'fields: { patronId: { action: pseudonymize }, emial: { action: pass } }' }, 'fields.emial', /"emial" is not a patron field/, /^did you mean "email"\?/],
    ['a canonical field without its address. prefix', { fields: 'fields: { patronId: { action: pseudonymize }, postalCode: { action: pass } }' }, 'fields.postalCode', /not a patron field/, /^did you mean "address.postalCode"\?/],
    ['a misspelt action', { fields: 'fields: { patronId: { action: pseudonymise } }' }, 'fields.patronId.action', /"pseudonymise" is not one of the allowed values/, /^did you mean "pseudonymize"\? Use "pass", "pseudonymize", "generalize" or "drop"/],
    ['a misspelt generalization', { fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: agebands } }' }, 'fields.birthDate.to', /"agebands" is not a generalization/, /^did you mean "ageBand"\? Otherwise use "birthYear", "ageBand"/],
  ])('suggests the right name for %s', (_reason, overrides, path, message, fix) => {
    const problem = problemsOf(contractYaml(overrides)).find((p) => p.path === path);
    expect(problem?.message).toMatch(message);
    expect(problem?.fix).toMatch(fix);
  });

  it('suggests nothing when no name is close (a wrong guess would mislead)', () => {
    const problem = problemsOf(contractYaml({ fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: decade } }' })).find((p) => p.path === 'fields.birthDate.to');
    expect(formatProblem(problem ?? { file: '', path: '', message: '', fix: '' })).not.toMatch(/did you mean/);
  });
});
