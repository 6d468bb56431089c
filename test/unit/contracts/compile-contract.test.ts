import { describe, expect, it } from 'vitest';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

const FILE = 'vendors/test-vendor.yaml';

function problemsOf(yaml: string, signingKeyConfigured = true) {
  const result = compileContractText(FILE, yaml, { signingKeyConfigured });
  expect(result.contract).toBeUndefined();
  return result.problems;
}

describe('contract validation refuses, naming file, dotted path, what is wrong and how to fix it', () => {
  it.each([
    ['an unknown top-level key', { colour: 'colour: blue' }, 'colour', /unknown key "colour"/, /allowed keys here: id, name, kind/],
    ['an unknown key inside a rule', { fields: 'fields: { patronId: { action: pseudonymize, colour: red } }' }, 'fields.patronId.colour', /unknown key/, /action, to, as, consent/],
    ['an unknown patron field', { fields: 'fields: { patronId: { action: pseudonymize }, shoeSize: { action: pass } }' }, 'fields.shoeSize', /not a patron field/, /birthDate/],
    ['an unknown action', { fields: 'fields: { patronId: { action: encrypt } }' }, 'fields.patronId.action', /not one of the allowed values/, /"pass", "pseudonymize", "generalize" or "drop"/],
    ['an unknown generalization', { fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: decade } }' }, 'fields.birthDate.to', /"decade" is not a generalization/, /"birthYear", "ageBand", "isMinor" or "isUnder13"/],
    ['a generalization that does not apply to the field', { fields: 'fields: { patronId: { action: pseudonymize }, email: { action: generalize, to: ageBand } }' }, 'fields.email.to', /ageBand does not apply to email/, /"emailDomain"/],
    ['generalize without to', { fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize } }' }, 'fields.birthDate.to', /needs "to:"/, /ageBand/],
    ['pseudonymizing the barcode', { fields: 'fields: { barcode: { action: pseudonymize } }' }, 'fields.barcode.action', /reissued/, /pseudonymize patronId instead/],
    ['bands on a generalization other than ageBand', { fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: birthYear, bands: ["0-17", "18+"] } }' }, 'fields.birthDate.bands', /only applies to ageBand/, /remove/],
    ['age bands with a gap', { fields: 'fields: { patronId: { action: pseudonymize }, birthDate: { action: generalize, to: ageBand, bands: ["0-12", "14+"] } }' }, 'fields.birthDate.bands', /should start at 13/, /without gaps/],
    ['an id that differs from the file name', { id: 'id: other-vendor' }, 'id', /does not match the file name "test-vendor"/, /rename the file to other-vendor.yaml/],
    ['an upstream host missing from hosts', { upstream: 'upstream: { url: "https://api.vendor.example/v1", hosts: [cdn.vendor.example] }' }, 'upstream.url', /"api.vendor.example" is not in upstream.hosts/, /add "api.vendor.example"/],
    ['an upstream URL that is not http(s)', { upstream: 'upstream: { url: "ftp://vendor.example", hosts: [vendor.example] }' }, 'upstream.url', /expected format/, /full URL/],
    ['a missing upstream for an e-content vendor', { upstream: '' }, 'upstream', /needs an upstream/, /add upstream/],
    ['a date that is not a date', { contract: 'contract: { reference: T-1, effective: 2026-02-30, expires: 2027-12-31 }' }, 'contract.effective', /expected format|real calendar date/, /YYYY-MM-DD/],
    ['a contract that expires before it takes effect', { contract: 'contract: { reference: T-1, effective: 2027-01-01, expires: 2026-12-31 }' }, 'contract.expires', /expires before it takes effect/, /on or after effective/],
    ['delivery none with released fields', { identity: 'identity: { delivery: none }' }, 'identity.delivery', /delivery is none, yet the rules release patronId/, /choose a delivery/],
    ['jwt delivery without a pseudonym', { fields: 'fields: { birthDate: { action: generalize, to: ageBand } }' }, 'identity.delivery', /no rule pseudonymizes patronId/, /preset: pseudonymous/],
    ['two fields with one view name', { identity: 'identity: { delivery: headers }', fields: 'fields: { firstName: { action: pass, as: name }, lastName: { action: pass, as: name } }' }, 'fields.lastName.as', /already the name of firstName/, /another name/],
    ['identity names for a key not in the view', { identity: 'identity: { delivery: headers, names: { nickname: X-Nick } }' }, 'identity.names.nickname', /not a name in the vendor view/, /sub/],
    ['a jwt header on header delivery', { identity: 'identity: { delivery: headers, header: X-Token }' }, 'identity.header', /only applies to jwt/, /remove/],
    ['a report on a non-grant contract', { report: 'report: { dimensions: [{ name: a, from: branch, generalize: none }], measures: [participants] }' }, 'report', /only applies to kind: grant/, /kind: grant/],
    ['a grant without a report', { kind: 'kind: grant', identity: '', fields: '' }, 'report', /needs a report section/, /dimensions/],
    ['minCellSize below 5', { kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: a, from: branch, generalize: none }], measures: [participants], minCellSize: 3 }' }, 'report.minCellSize', /too small \(minimum 5\)/, /5 or more/],
    // Issue 11: month within quarter pins cells through the nested margins.
    ['two report dimensions from one source (nested: month within quarter)', { kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: m, from: date, generalize: month }, { name: q, from: date, generalize: quarter }], measures: [participants] }' }, 'report.dimensions[1].from', /report.dimensions\[0\] already comes from date/, /keep one dimension from date/],
    ['a protection level below 1 (a cell could be pinned on one side)', { kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: a, from: branch, generalize: none }], measures: [participants], protection: { lower: 0, upper: 1 } }' }, 'report.protection.lower', /./, /./],
    ['an unknown suppression cost', { kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: a, from: branch, generalize: none }], measures: [participants], suppressionCost: money }' }, 'report.suppressionCost', /./, /cells|people/],
    ['a report generalization that does not fit its column', { kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: a, from: date, generalize: postalCode3 }], measures: [participants] }' }, 'report.dimensions[0].generalize', /postalCode3 does not apply to date/, /"month", "quarter" or "year"/],
    ['an unknown minors policy', { minors: 'minors: { under13: ask-nicely }' }, 'minors.under13', /not one of the allowed values/, /"block", "parental-consent" or "anonymous"/],
  ])('%s', (_name, overrides, path, message, fix) => {
    const problems = problemsOf(contractYaml(overrides));
    const match = problems.find((p) => p.path === path);
    expect(match, `no problem at ${path}; got ${problems.map(formatProblem).join(' | ')}`).toBeDefined();
    expect(match?.file).toBe(FILE);
    expect(match?.message).toMatch(message);
    expect(match?.fix).toMatch(fix);
  });

  it.each([
    ['pin'],
    ['pinHash'],
    ['password'],
    ['ssn'],
    ['governmentId'],
    ['government_id'],
    ['driversLicense'],
    ['cardNumber'],
    ['paymentCard'],
    ['loans'],
    ['holds'],
    ['readingHistory'],
    ['history'],
  ])('the never-releasable field %s, whatever the action', (field) => {
    for (const action of ['pass', 'drop', 'generalize']) {
      const problems = problemsOf(contractYaml({ fields: `fields: { patronId: { action: pseudonymize }, ${field}: { action: ${action} } }` }));
      expect(problems.find((p) => p.path === `fields.${field}`)?.message).toMatch(/never releasable/);
    }
  });

  it('jwt delivery when the settings configure no signing key', () => {
    const problems = problemsOf(contractYaml(), false);
    expect(problems.find((p) => p.path === 'identity.delivery')?.message).toMatch(/needs an assertion signing key/);
  });

  it('YAML syntax errors, with line and column', () => {
    const problems = problemsOf('id: test-vendor\nname: [unclosed\n');
    expect(problems[0]?.path).toMatch(/^line \d+, column \d+$/);
    expect(problems[0]?.message).toMatch(/not valid YAML/);
  });

  it('a key written twice', () => {
    expect(problemsOf(`${contractYaml()}\nname: Again`)[0]?.message).toMatch(/a key appears twice/);
  });

  it('a file that is not a mapping', () => {
    expect(problemsOf('- just\n- a list\n')[0]?.message).toMatch(/not a contract/);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(
      contractYaml({
        id: 'id: wrong-id',
        colour: 'colour: blue',
        fields: 'fields: { ssn: { action: pass }, shoeSize: { action: pass }, birthDate: { action: generalize, to: decade } }',
        upstream: 'upstream: { url: "https://a.example", hosts: [b.example] }',
      }),
    );
    // Shape problems and meaning problems come together, in one run.
    expect(problems.map((p) => p.path).sort()).toEqual(['colour', 'fields.birthDate.to', 'fields.shoeSize', 'fields.ssn', 'id', 'identity.delivery', 'upstream.url'].sort());
  });

  it('messages never echo values from the file other than names', () => {
    const problems = problemsOf(contractYaml({ purpose: 'purpose: 12345', contract: 'contract: { reference: T-1, effective: SECRET-CANARY-VALUE, expires: 2027-12-31 }' }));
    expect(problems.map(formatProblem).join('\n')).not.toContain('SECRET-CANARY-VALUE');
  });
});

describe('contract compilation', () => {
  it('fills defaults and freezes the result', () => {
    const contract = compileOrThrow(contractYaml());
    expect(contract.identity).toEqual({ delivery: 'jwt', header: 'Authorization', lifetimeSeconds: 300, names: {} });
    expect(contract.upstream?.timeoutMs).toBe(10_000);
    expect(contract.minors).toEqual({ under13: 'parental-consent' });
    expect(contract.request).toEqual({ headers: [], headerSet: new Set(), onPatronData: 'block' });
    expect(contract.inForce.untilMs - contract.inForce.fromMs).toBe((Date.parse(`${contract.contract.expires}T00:00:00Z`) - Date.parse(`${contract.contract.effective}T00:00:00Z`)) + 86_400_000);
    expect(Object.isFrozen(contract)).toBe(true);
    expect(Object.isFrozen(contract.rules)).toBe(true);
    expect(Object.isFrozen(contract.rules[0])).toBe(true);
  });

  it('keeps the notice version on cosmetic edits and changes it when sharing changes', () => {
    const base = compileOrThrow(contractYaml());
    const cosmetic = compileOrThrow(contractYaml({ name: 'name: Renamed Vendor', purpose: 'purpose: Reworded' }));
    const wider = compileOrThrow(contractYaml({ fields: 'fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: ageBand } }' }));
    const consent = compileOrThrow(contractYaml({ fields: 'fields: { patronId: { action: pseudonymize, as: sub, consent: share-id } }' }));
    const minors = compileOrThrow(contractYaml({ minors: 'minors: { under13: block }' }));
    expect(cosmetic.noticeVersion).toBe(base.noticeVersion);
    for (const changed of [wider, consent, minors]) expect(changed.noticeVersion).not.toBe(base.noticeVersion);
  });

  it('compiles a grant report with its defaults', () => {
    const contract = compileOrThrow(
      contractYaml({ kind: 'kind: grant', identity: '', fields: '', report: 'report: { dimensions: [{ name: age, from: birthDate, generalize: ageBand }], measures: [participants] }' }),
    );
    expect(contract.report?.minCellSize).toBe(11);
    expect(contract.report?.totals).toBe(true);
    expect(contract.report?.protection).toEqual({ lower: 1, upper: 1 });
    expect(contract.report?.suppressionCost).toBe('cells');
    // Age bands are sensitive by default: their zeros can reveal a whole group's age.
    expect(contract.report?.dimensions[0]?.sensitive).toBe(true);
    expect(contract.report?.dimensions[0]?.bands?.map((b) => b.label)).toEqual(['0-5', '6-11', '12-17', '18-64', '65+']);
  });
});
