import { describe, expect, it } from 'vitest';
import { diffContracts } from '../../../src/contracts/diff-contracts.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

const FIELDS = 'fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: ageBand }, email: { action: pass, consent: share-email } }';
const base = compileOrThrow(contractYaml({ fields: FIELDS }));
const variant = (overrides: Record<string, string>) => compileOrThrow(contractYaml({ fields: FIELDS, ...overrides }));

describe('diffContracts', () => {
  it.each([
    ['no change', {}, 'none', [], false],
    ['a cosmetic change', { name: 'name: Renamed' }, 'none', [], false],
    ['a new passed field', { fields: FIELDS.replace(' }', ' }, homeBranch: { action: pass }').replace(/ } }$/, ' } }') }, 'wider', ['fields.homeBranch'], true],
    ['a field dropped', { fields: 'fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: ageBand } }' }, 'narrower', ['fields.email'], true],
    ['a consent removed', { fields: FIELDS.replace(', consent: share-email', '') }, 'wider', ['fields.email'], true],
    ['a consent added', { fields: FIELDS.replace('birthDate: { action: generalize, to: ageBand }', 'birthDate: { action: generalize, to: ageBand, consent: share-age }') }, 'narrower', ['fields.birthDate'], true],
    ['age band to birth year', { fields: FIELDS.replace('to: ageBand', 'to: birthYear') }, 'wider', ['fields.birthDate'], true],
    ['age band to isMinor', { fields: FIELDS.replace('to: ageBand', 'to: isMinor') }, 'narrower', ['fields.birthDate'], true],
    ['a generalized field passed as is', { fields: FIELDS.replace('{ action: generalize, to: ageBand }', '{ action: pass }') }, 'wider', ['fields.birthDate'], true],
    ['finer age bands', { fields: FIELDS.replace('to: ageBand', 'to: ageBand, bands: ["0-4", "5-9", "10-12", "13-17", "18-29", "30-64", "65+"]') }, 'wider', ['fields.birthDate'], true],
    ['the default minors rule written out', { minors: 'minors: { under13: parental-consent }' }, 'none', [], false],
    ['under-13s to block', { minors: 'minors: { under13: block }' }, 'narrower', ['minors.under13'], true],
    ['an under-18 rule added', { minors: 'minors: { under13: parental-consent, under18: anonymous }' }, 'narrower', ['minors.under18'], true],
    ['a new upstream host', { upstream: 'upstream: { url: "http://127.0.0.1:9999", hosts: [127.0.0.1, cdn.vendor.example] }' }, 'wider', ['upstream.hosts'], false],
    ['an extra request header', { request: 'request: { headers: [x-requested-with] }' }, 'wider', ['request.headers'], false],
    ['redact instead of block', { request: 'request: { onPatronData: redact }' }, 'wider', ['request.onPatronData'], false],
    ['jwt to headers', { identity: 'identity: { delivery: headers }' }, 'none', ['identity.delivery'], true],
  ] as const)('%s', (_name, overrides, overall, paths, noticeChanged) => {
    const diff = diffContracts(base, variant(overrides));
    expect(diff.overall).toBe(overall === 'none' && paths.length > 0 ? 'none' : overall);
    expect(diff.changes.map((c) => c.path)).toEqual(paths);
    expect(diff.noticeVersionChanged).toBe(noticeChanged);
  });

  it('anything wider makes the whole change wider, even if other things narrow', () => {
    const diff = diffContracts(base, variant({ fields: 'fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: birthYear } }' }));
    expect(diff.changes.map((c) => c.direction).sort()).toEqual(['narrower', 'wider']);
    expect(diff.overall).toBe('wider');
  });
});
