import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { CompiledContract } from '../../../src/contracts/compiled-contract.ts';
import { compileContract } from '../../../src/contracts/compile-contract.ts';
import { contractSchema } from '../../../src/contracts/contract-schema.ts';
import { diffContracts } from '../../../src/contracts/diff-contracts.ts';
import { LISTED_TERMS } from '../../../src/contracts/sharing-terms.ts';
import { CANONICAL_FIELDS, type CanonicalField } from '../../../src/policy/canonical-fields.ts';
import { GENERALIZATIONS } from '../../../src/policy/generalizations/index.ts';

// Contract documents are generated section by section; a pair takes each section (and each field
// rule) from one of two documents, so pairs range from identical to different everywhere.
type Doc = Record<string, unknown>;

const BANDS = [undefined, ['0-12', '13+'], ['0-17', '18+'], ['0-5', '6-11', '12-17', '18-64', '65+'], ['0-12', '13-17', '18-64', '65+'], ['0-9', '10-20', '21+']];
const CONSENTS = [undefined, 'share-a', 'share-b'];

function ruleArbitrary(field: CanonicalField): fc.Arbitrary<Doc | undefined> {
  const generalizations = [...GENERALIZATIONS.values()].filter((g) => g.appliesTo.includes(field)).map((g) => g.name);
  const actions: Array<fc.Arbitrary<Doc>> = [fc.constant({ action: 'pass' }), fc.constant({ action: 'drop' })];
  if (field === 'patronId') actions.push(fc.constant({ action: 'pseudonymize' }));
  if (generalizations.length > 0) {
    actions.push(
      fc.tuple(fc.constantFrom(...generalizations), fc.constantFrom(...BANDS)).map(([to, bands]) => (to === 'ageBand' && bands ? { action: 'generalize', to, bands } : { action: 'generalize', to })),
    );
  }
  const prefix = fc.constantFrom('v', 'w');
  const rule = fc.tuple(fc.oneof(...actions), fc.constantFrom(...CONSENTS), prefix).map(([r, consent, p]) =>
    r['action'] === 'drop' ? r : { ...r, as: `${p}_${field.replace('.', '_')}`, ...(consent ? { consent } : {}) },
  );
  return fc.option(rule, { nil: undefined });
}

const sections = {
  fields: fc.tuple(...CANONICAL_FIELDS.map(ruleArbitrary)),
  identity: fc.oneof(
    fc.constant({ delivery: 'none' }),
    fc.record({ delivery: fc.constant('jwt'), header: fc.constantFrom(undefined, 'Authorization', 'X-Token'), lifetimeSeconds: fc.constantFrom(undefined, 60, 300, 3600) }),
    fc.record({ delivery: fc.constantFrom('headers', 'form', 'query'), names: fc.constantFrom(undefined, { v_barcode: 'X-Card' }, { v_barcode: 'X-Id' }) }),
  ),
  upstream: fc.option(
    fc.record({
      scheme: fc.constantFrom('http', 'https'),
      host: fc.constantFrom('a.example', 'b.example'),
      path: fc.constantFrom('', '/v1', '/v2'),
      extra: fc.subarray(['cdn.example', 'img.example']),
      timeoutMs: fc.constantFrom(undefined, 5000),
    }),
    { nil: undefined },
  ),
  minors: fc.record({ under13: fc.constantFrom('block', 'parental-consent', 'anonymous'), under18: fc.constantFrom(undefined, 'block', 'parental-consent', 'anonymous') }),
  request: fc.record({
    headers: fc.subarray(['x-a', 'x-b', 'x-c']),
    onPatronData: fc.constantFrom('redact', 'block'),
    bodyTypes: fc.option(fc.subarray(['application/json', 'text/plain', 'text/*']), { nil: undefined }),
  }),
  contract: fc.record({ reference: fc.constantFrom('R-1', 'R-2'), effective: fc.constantFrom('2026-01-01', '2026-02-01'), expires: fc.constantFrom('2027-12-31', '2028-12-31') }),
  words: fc.record({ name: fc.constantFrom('Vendor', 'Renamed'), purpose: fc.constantFrom('Reading', 'Borrowing') }),
  kind: fc.constantFrom('econtent', 'database', 'grant'),
  report: fc.record({
    dimensions: fc.subarray([
      { name: 'age', from: 'birthDate', generalize: 'ageBand' },
      { name: 'age', from: 'birthDate', generalize: 'ageBand', bands: ['0-17', '18+'] },
      { name: 'minor', from: 'birthDate', generalize: 'isMinor' },
      { name: 'zip3', from: 'postalCode', generalize: 'postalCode3' },
      { name: 'quarter', from: 'date', generalize: 'quarter' },
    ], { minLength: 1 }),
    measures: fc.subarray(['participants', 'attendances'] as const, { minLength: 1 }),
    minCellSize: fc.constantFrom(undefined, 5, 11),
    totals: fc.constantFrom(undefined, true, false),
    noise: fc.constantFrom(undefined, { mechanism: 'discrete-laplace', epsilon: 1, maxAttendancesPerPerson: 20, maxCellsPerPerson: 4 }, { mechanism: 'discrete-laplace', epsilon: 2, maxAttendancesPerPerson: 20, maxCellsPerPerson: 4 }),
  }),
};

type Parts = { [K in keyof typeof sections]: (typeof sections)[K] extends fc.Arbitrary<infer T> ? T : never };
const partsArbitrary: fc.Arbitrary<Parts> = fc.record(sections);

const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The generated parts as a contract document, adjusted so that it is valid (or undefined when it cannot be). */
function compileParts(parts: Parts): CompiledContract | undefined {
  const grant = parts.kind === 'grant';
  const fields: Doc = {};
  CANONICAL_FIELDS.forEach((field, i) => {
    const rule = parts.fields[i];
    if (rule) fields[field] = rule;
  });
  const identity = grant ? { delivery: 'none' } : strip(parts.identity as Doc);
  if (identity['delivery'] === 'jwt') fields['patronId'] = { action: 'pseudonymize', as: 'sub' };
  if (identity['names'] !== undefined) fields['barcode'] = { action: 'pass', as: 'v_barcode' };
  const u = parts.upstream ?? (grant ? undefined : { scheme: 'https', host: 'a.example', path: '', extra: [], timeoutMs: undefined });
  const document = contractSchema.safeParse({
    id: 'prop-vendor',
    ...parts.words,
    kind: parts.kind,
    contract: parts.contract,
    ...(u ? { upstream: strip({ url: `${u.scheme}://${u.host}${u.path}`, hosts: [u.host, ...u.extra], timeoutMs: u.timeoutMs }) } : {}),
    identity,
    fields: grant || identity['delivery'] === 'none' ? {} : fields,
    minors: strip(parts.minors),
    request: strip(parts.request),
    ...(grant ? { report: strip(parts.report) } : {}),
  });
  if (!document.success) throw new Error(document.error.message);
  return compileContract(document.data, { file: 'prop-vendor.yaml', expectedId: 'prop-vendor', signingKeyConfigured: true }).contract;
}

/** Two documents and, per section and per field rule, which one the second contract takes it from. */
const pairArbitrary = fc
  .tuple(partsArbitrary, partsArbitrary, fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }), fc.array(fc.boolean(), { minLength: CANONICAL_FIELDS.length, maxLength: CANONICAL_FIELDS.length }))
  .map(([a, b, mask, fieldMask]) => {
    const keys = Object.keys(sections) as Array<keyof Parts>;
    const mixed = { ...a } as Record<string, unknown>;
    keys.forEach((key, i) => {
      if (mask[i]) mixed[key] = b[key];
    });
    mixed['fields'] = a.fields.map((rule, i) => (fieldMask[i] ? b.fields[i] : rule));
    return [compileParts(a), compileParts(mixed as Parts)] as const;
  })
  .filter((pair): pair is readonly [CompiledContract, CompiledContract] => pair[0] !== undefined && pair[1] !== undefined);

const PERIOD_PATHS = new Set(LISTED_TERMS.map((t) => t.path));

describe('notice version and diff (properties over generated contract pairs)', () => {
  test.prop([pairArbitrary], { numRuns: 3_000 })('a change the diff calls wider always changes the notice version', ([before, after]) => {
    const diff = diffContracts(before, after);
    if (diff.overall === 'wider') expect(after.noticeVersion).not.toBe(before.noticeVersion);
  });

  test.prop([pairArbitrary], { numRuns: 3_000 })('the notice version changes exactly when the diff lists a sharing change (no silent change either way)', ([before, after]) => {
    const diff = diffContracts(before, after);
    const sharingChanges = diff.changes.filter((c) => !PERIOD_PATHS.has(c.path));
    expect(diff.noticeVersionChanged).toBe(sharingChanges.length > 0);
    expect(diff.noticeVersionChanged).toBe(after.noticeVersion !== before.noticeVersion);
  });

  test.prop([pairArbitrary], { numRuns: 500 })('a contract compared with itself has no change', ([before, after]) => {
    expect(diffContracts(before, before)).toEqual({ vendor: 'prop-vendor', changes: [], noticeVersionChanged: false, overall: 'none' });
    expect(diffContracts(after, after).changes).toEqual([]);
  });
});
