import { describe, expect, it } from 'vitest';
import { diffContracts, formatContractDiff } from '../../../src/contracts/diff-contracts.ts';
import { compileOrThrow, contractYaml } from '../../helpers/contracts.ts';

const FIELDS = 'fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: ageBand }, email: { action: pass, consent: share-email } }';
const UPSTREAM = 'upstream: { url: "https://api.vendor.example/v1", hosts: [api.vendor.example, cdn.vendor.example] }';
const REQUEST = 'request: { headers: [x-requested-with], bodyTypes: [application/json] }';
const base = compileOrThrow(contractYaml({ fields: FIELDS, upstream: UPSTREAM, request: REQUEST }));
const variant = (overrides: Record<string, string>) => compileOrThrow(contractYaml({ fields: FIELDS, upstream: UPSTREAM, request: REQUEST, ...overrides }));
const withBirthDate = (rule: string) => ({ fields: FIELDS.replace('{ action: generalize, to: ageBand }', rule) });

const HEADERS_BASE = { identity: 'identity: { delivery: headers, names: { sub: X-Id } }', fields: 'fields: { patronId: { action: pseudonymize, as: sub } }' };
const GRANT = {
  kind: 'kind: grant',
  identity: '',
  fields: '',
  upstream: 'upstream: { url: "https://grants.example/reports", hosts: [grants.example] }',
  report: 'report: { dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants] }',
};
const grant = (report: string) => ({ ...GRANT, report: `report: { ${report} }` });

type Case = readonly [name: string, before: Record<string, string>, after: Record<string, string>, overall: 'wider' | 'narrower' | 'none', changes: ReadonlyArray<readonly [path: string, direction: string]>, noticeChanged: boolean, meanings: ReadonlyArray<string>];

// Every change to what leaves, where it goes or how is listed, and each one asks patrons again.
const CASES: ReadonlyArray<Case> = [
  ['no change is no change', {}, {}, 'none', [], false, []],
  ['a cosmetic change (name, purpose, reference, review date, policy URL, rule note, timeout) asks nobody again', {}, { name: 'name: Renamed', purpose: 'purpose: Reworded', contract: 'contract: { reference: T-2, effective: 2026-01-01, expires: 2027-12-31, reviewed: 2026-06-01, privacyPolicy: "https://v.example/p" }', fields: FIELDS.replace('as: sub }', 'as: sub, note: clause 4 }'), upstream: UPSTREAM.replace(' }', ', timeoutMs: 5000 }') }, 'none', [], false, []],
  ['writing the default age bands out changes nothing (they are what the rule already sends)', {}, withBirthDate('{ action: generalize, to: ageBand, bands: ["0-5", "6-11", "12-17", "18-64", "65+"] }'), 'none', [], false, []],
  ['writing out what a preset gives changes nothing', { fields: 'preset: pseudonymous' }, { fields: 'fields: { patronId: { action: pseudonymize, as: sub }, patronType: { action: pass } }' }, 'none', [], false, []],
  ['a new passed field widens', {}, { fields: FIELDS.replace(' } }', ' }, homeBranch: { action: pass } }') }, 'wider', [['fields.homeBranch', 'wider']], true, ['vendors will receive more of homeBranch']],
  ['a field dropped narrows', {}, { fields: 'fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: ageBand } }' }, 'narrower', [['fields.email', 'narrower']], true, ['vendors will receive less of email']],
  ['a consent removed widens: the field leaves without asking', {}, { fields: FIELDS.replace(', consent: share-email', '') }, 'wider', [['fields.email', 'wider']], true, ['vendors will receive more of email']],
  ['a consent added narrows', {}, withBirthDate('{ action: generalize, to: ageBand, consent: share-age }'), 'narrower', [['fields.birthDate', 'narrower']], true, ['vendors will receive less of birthDate']],
  ['a consent renamed is neither, but earlier opt-ins no longer apply, so patrons are asked again', {}, { fields: FIELDS.replace('consent: share-email', 'consent: share-contact') }, 'none', [['fields.email', 'neutral']], true, ['email is sent differently']],
  ['a view name changed is neither, but the vendor sees another key', {}, { fields: FIELDS.replace('as: sub', 'as: uid') }, 'none', [['fields.patronId', 'neutral']], true, ['patronId is sent differently']],
  ['age band to birth year widens', {}, withBirthDate('{ action: generalize, to: birthYear }'), 'wider', [['fields.birthDate', 'wider']], true, ['vendors will receive more of birthDate']],
  ['age band to isMinor narrows (the default bands already tell 17 from 18)', {}, withBirthDate('{ action: generalize, to: isMinor }'), 'narrower', [['fields.birthDate', 'narrower']], true, ['vendors will receive less of birthDate']],
  ['age band to isUnder13 widens: the default 12-17 band cannot tell 12 from 13', {}, withBirthDate('{ action: generalize, to: isUnder13 }'), 'wider', [['fields.birthDate', 'wider']], true, ['vendors will receive more of birthDate']],
  ['isMinor to isUnder13 widens: a new age is told apart', withBirthDate('{ action: generalize, to: isMinor }'), withBirthDate('{ action: generalize, to: isUnder13 }'), 'wider', [['fields.birthDate', 'wider']], true, ['vendors will receive more of birthDate']],
  ['isUnder13 to bands cut at 13 only is neither: the same ages are told apart', withBirthDate('{ action: generalize, to: isUnder13 }'), withBirthDate('{ action: generalize, to: ageBand, bands: ["0-12", "13+"] }'), 'none', [['fields.birthDate', 'neutral']], true, ['birthDate is sent differently']],
  ['finer age bands widen', {}, withBirthDate('{ action: generalize, to: ageBand, bands: ["0-4", "5-9", "10-12", "13-17", "18-29", "30-64", "65+"] }'), 'wider', [['fields.birthDate', 'wider']], true, ['vendors will receive more of birthDate']],
  ['as many bands cut elsewhere widen (the count alone is not the measure)', {}, withBirthDate('{ action: generalize, to: ageBand, bands: ["0-5", "6-11", "12-20", "21-64", "65+"] }'), 'wider', [['fields.birthDate', 'wider']], true, ['vendors will receive more of birthDate']],
  ['coarser bands (a subset of the cuts) narrow', {}, withBirthDate('{ action: generalize, to: ageBand, bands: ["0-17", "18+"] }'), 'narrower', [['fields.birthDate', 'narrower']], true, ['vendors will receive less of birthDate']],
  ['a generalized field passed as is widens', {}, withBirthDate('{ action: pass }'), 'wider', [['fields.birthDate', 'wider']], true, ['vendors will receive more of birthDate']],
  ['the default minors rule written out changes nothing', {}, { minors: 'minors: { under13: parental-consent }' }, 'none', [], false, []],
  ['under-13s to block narrows', {}, { minors: 'minors: { under13: block }' }, 'narrower', [['minors.under13', 'narrower']], true, ['patrons under 13: block']],
  ['under-13s from block to parental consent widens', { minors: 'minors: { under13: block }' }, {}, 'wider', [['minors.under13', 'wider']], true, ['patrons under 13: parental-consent']],
  ['an under-18 rule added narrows', {}, { minors: 'minors: { under13: parental-consent, under18: anonymous }' }, 'narrower', [['minors.under18', 'narrower']], true, ['patrons aged 13 to 17: anonymous']],
  ['block to anonymous is neither (no child data either way)', { minors: 'minors: { under13: block }' }, { minors: 'minors: { under13: anonymous }' }, 'none', [['minors.under13', 'neutral']], true, ['patrons under 13: anonymous']],
  ['a new upstream host widens', {}, { upstream: UPSTREAM.replace('cdn.vendor.example', 'cdn.vendor.example, tracker.example') }, 'wider', [['upstream.hosts', 'wider']], true, ['requests may now reach tracker.example']],
  ['a host swapped for another widens (something was added)', {}, { upstream: UPSTREAM.replace('cdn.vendor.example', 'img.vendor.example') }, 'wider', [['upstream.hosts', 'wider']], true, ['requests may now reach img.vendor.example']],
  ['an upstream host removed narrows', {}, { upstream: UPSTREAM.replace(', cdn.vendor.example', '') }, 'narrower', [['upstream.hosts', 'narrower']], true, ['requests may reach fewer hosts']],
  ['the upstream base path changed is neither, but requests go elsewhere', {}, { upstream: UPSTREAM.replace('/v1', '/v2') }, 'none', [['upstream.url', 'neutral']], true, ['requests go to another address of the vendor']],
  ['the upstream moved to another allowed host is neither', {}, { upstream: UPSTREAM.replace('https://api.', 'https://cdn.') }, 'none', [['upstream.url', 'neutral']], true, ['requests go to another address of the vendor']],
  ['https to plain http widens: requests travel unencrypted', {}, { upstream: UPSTREAM.replace('https:', 'http:') }, 'wider', [['upstream.url', 'wider']], true, ['requests will travel unencrypted (http)']],
  ['plain http to https narrows', { upstream: UPSTREAM.replace('https:', 'http:') }, {}, 'narrower', [['upstream.url', 'narrower']], true, ['requests will travel encrypted (https)']],
  ['an extra request header widens', {}, { request: REQUEST.replace('[x-requested-with]', '[x-requested-with, x-client]') }, 'wider', [['request.headers', 'wider']], true, ['the vendor will receive the request headers x-client']],
  ['a request header swapped for another widens', {}, { request: REQUEST.replace('[x-requested-with]', '[x-client]') }, 'wider', [['request.headers', 'wider']], true, ['the vendor will receive the request headers x-client']],
  ['a request header removed narrows', {}, { request: REQUEST.replace('[x-requested-with]', '[]') }, 'narrower', [['request.headers', 'narrower']], true, ['the vendor will receive fewer request headers']],
  ['redact instead of block widens: a request holding patron values now leaves', {}, { request: REQUEST.replace(' }', ', onPatronData: redact }') }, 'wider', [['request.onPatronData', 'wider']], true, ['requests holding patron values will be sent with the values redacted instead of blocked']],
  ['block instead of redact narrows', { request: REQUEST.replace(' }', ', onPatronData: redact }') }, {}, 'narrower', [['request.onPatronData', 'narrower']], true, ['requests holding patron values will be blocked']],
  ['body types no longer limited widens: any body leaves', {}, { request: 'request: { headers: [x-requested-with] }' }, 'wider', [['request.bodyTypes', 'wider']], true, ['request bodies of any type will be forwarded']],
  ['a body type added widens', {}, { request: REQUEST.replace('[application/json]', '[application/json, text/plain]') }, 'wider', [['request.bodyTypes', 'wider']], true, ['request bodies of type text/plain will be forwarded']],
  ['a body type removed narrows', { request: REQUEST.replace('[application/json]', '[application/json, text/plain]') }, {}, 'narrower', [['request.bodyTypes', 'narrower']], true, ['fewer request body types will be forwarded']],
  ['body types limited where any was allowed narrows', { request: 'request: { headers: [x-requested-with] }' }, {}, 'narrower', [['request.bodyTypes', 'narrower']], true, ['only the listed request body types will be forwarded']],
  ['jwt to headers is neither', {}, { identity: 'identity: { delivery: headers }' }, 'none', [['identity.delivery', 'neutral']], true, ['the vendor view will be sent by headers']],
  ['jwt to query widens: the view goes into URLs', {}, { identity: 'identity: { delivery: query }' }, 'wider', [['identity.delivery', 'wider']], true, ['the vendor view will be sent by query']],
  ['query to form narrows', { identity: 'identity: { delivery: query }' }, { identity: 'identity: { delivery: form }' }, 'narrower', [['identity.delivery', 'narrower']], true, ['the vendor view will be sent by form']],
  ['no identity to headers widens', { identity: 'identity: { delivery: none }', fields: '' }, HEADERS_BASE, 'wider', [['fields.patronId', 'wider'], ['identity.delivery', 'wider'], ['identity.names', 'neutral']], true, ['vendors will receive more of patronId', 'the vendor view will be sent by headers', 'the header or parameter names that carry the vendor view']],
  ['the assertion header renamed is neither, but the vendor reads another header', {}, { identity: 'identity: { delivery: jwt, header: X-Patron-Token }' }, 'none', [['identity.header', 'neutral']], true, ['the request header that carries the assertion']],
  ['a longer assertion lifetime widens', {}, { identity: 'identity: { delivery: jwt, lifetimeSeconds: 3600 }' }, 'wider', [['identity.lifetimeSeconds', 'wider']], true, ['assertions stay usable for longer']],
  ['a shorter assertion lifetime narrows', {}, { identity: 'identity: { delivery: jwt, lifetimeSeconds: 60 }' }, 'narrower', [['identity.lifetimeSeconds', 'narrower']], true, ['assertions expire sooner']],
  ['delivery header names changed are neither, but the values travel under other names', HEADERS_BASE, { ...HEADERS_BASE, identity: 'identity: { delivery: headers, names: { sub: X-Patron } }' }, 'none', [['identity.names', 'neutral']], true, ['the header or parameter names that carry the vendor view']],
  ['a kind changed is neither', {}, { kind: 'kind: database' }, 'none', [['kind', 'neutral']], true, ['what kind of service this is']],
  ['a renewed contract is listed but asks nobody again', {}, { contract: 'contract: { reference: T-1, effective: 2026-01-01, expires: 2029-12-31 }' }, 'none', [['contract.expires', 'neutral']], false, ['the last day the contract is in force']],
  ['a later start is listed but asks nobody again', {}, { contract: 'contract: { reference: T-1, effective: 2026-03-01, expires: 2027-12-31 }' }, 'none', [['contract.effective', 'neutral']], false, ['the first day the contract is in force']],
  ['a new report dimension widens', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }, { name: branch, from: branch, generalize: none }], measures: [participants]'), 'wider', [['report.dimensions', 'wider']], true, ['the grantor gets new breakdowns: branch:none']],
  ['a report dimension removed narrows', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }], measures: [participants]'), 'narrower', [['report.dimensions', 'narrower']], true, ['the grantor gets fewer breakdowns']],
  ['report dimensions reordered or renamed change nothing', GRANT, grant('dimensions: [{ name: zip, from: postalCode, generalize: postalCode3 }, { name: age_group, from: birthDate, generalize: ageBand }], measures: [participants]'), 'none', [], false, []],
  ['finer report age bands widen', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand, bands: ["0-9", "10-17", "18+"] }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants]'), 'wider', [['report.dimensions', 'wider']], true, ['the grantor gets new breakdowns: birthDate:ageBand[0-9 10-17 18+]']],
  ['a new report measure widens', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants, attendances]'), 'wider', [['report.measures', 'wider']], true, ['the grantor gets new measures: attendances']],
  ['a smaller minimum cell widens', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], minCellSize: 5'), 'wider', [['report.minCellSize', 'wider']], true, ['smaller groups of people will be published']],
  ['a larger minimum cell narrows', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], minCellSize: 20'), 'narrower', [['report.minCellSize', 'narrower']], true, ['only larger groups of people will be published']],
  ['totals switched off narrows', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], totals: false'), 'narrower', [['report.totals', 'narrower']], true, ['totals are no longer published']],
  ['totals switched on widens', grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], totals: false'), GRANT, 'wider', [['report.totals', 'wider']], true, ['totals are published']],
  ['noise added narrows', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], noise: { mechanism: discrete-laplace, epsilon: 1, maxAttendancesPerPerson: 20, maxCellsPerPerson: 4 }'), 'narrower', [['report.noise', 'narrower']], true, ['published counts will be noisier']],
  ['noise removed widens', grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], noise: { mechanism: discrete-laplace, epsilon: 1, maxAttendancesPerPerson: 20, maxCellsPerPerson: 4 }'), GRANT, 'wider', [['report.noise', 'wider']], true, ['published counts will be less noisy']],
  ['a larger epsilon (less noise) widens', grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], noise: { mechanism: discrete-laplace, epsilon: 1, maxAttendancesPerPerson: 20, maxCellsPerPerson: 4 }'), grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants], noise: { mechanism: discrete-laplace, epsilon: 2, maxAttendancesPerPerson: 20, maxCellsPerPerson: 4 }'), 'wider', [['report.noise', 'wider']], true, ['published counts will be less noisy']],
  ['writing out a drop changes nothing (dropped and unlisted are both withheld)', {}, { fields: FIELDS.replace(' } }', ' }, phone: { action: drop } }') }, 'none', [], false, []],
  ['an explicitly dropped field passed widens', { fields: FIELDS.replace(' } }', ' }, phone: { action: drop } }') }, { fields: FIELDS.replace(' } }', ' }, phone: { action: pass } }') }, 'wider', [['fields.phone', 'wider']], true, ['vendors will receive more of phone']],
  ['a birth year passed as is widens (pass reveals more than any generalization)', withBirthDate('{ action: generalize, to: birthYear }'), withBirthDate('{ action: pass }'), 'wider', [['fields.birthDate', 'wider']], true, ['vendors will receive more of birthDate']],
  ['isMinor to bands cut at 18 only is neither: the same ages are told apart', withBirthDate('{ action: generalize, to: isMinor }'), withBirthDate('{ action: generalize, to: ageBand, bands: ["0-17", "18+"] }'), 'none', [['fields.birthDate', 'neutral']], true, ['birthDate is sent differently']],
  ['writing out the default report bands changes nothing', GRANT, grant('dimensions: [{ name: age, from: birthDate, generalize: ageBand, bands: ["0-5", "6-11", "12-17", "18-64", "65+"] }, { name: zip3, from: postalCode, generalize: postalCode3 }], measures: [participants]'), 'none', [], false, []],
  ['a grant turned into a database publishes no report any more', GRANT, { ...GRANT, kind: 'kind: database', report: '' }, 'narrower', [['kind', 'neutral'], ['report.dimensions', 'narrower'], ['report.measures', 'narrower'], ['report.minCellSize', 'narrower'], ['report.totals', 'narrower'], ['report.period', 'narrower']], true, ['what kind of service this is', 'the grantor gets fewer breakdowns', 'the grantor gets fewer measures', 'only larger groups of people will be published', 'totals are no longer published', 'no reports are published']],
  ['a database turned into a grant publishes a report', { ...GRANT, kind: 'kind: database', report: '' }, GRANT, 'wider', [['kind', 'neutral'], ['report.dimensions', 'wider'], ['report.measures', 'wider'], ['report.minCellSize', 'wider'], ['report.totals', 'wider'], ['report.period', 'wider']], true, ['what kind of service this is', 'the grantor gets new breakdowns: birthDate:ageBand[0-5 6-11 12-17 18-64 65+], postalCode:postalCode3', 'the grantor gets new measures: participants', 'smaller groups of people will be published', 'totals are published', 'reports may cover shorter or overlapping periods']],
  ['a pseudonym replaced by the id itself widens', HEADERS_BASE, { ...HEADERS_BASE, fields: 'fields: { patronId: { action: pass, as: sub } }' }, 'wider', [['fields.patronId', 'wider']], true, ['vendors will receive more of patronId']],
  ['the id replaced by a pseudonym narrows', { ...HEADERS_BASE, fields: 'fields: { patronId: { action: pass, as: sub } }' }, HEADERS_BASE, 'narrower', [['fields.patronId', 'narrower']], true, ['vendors will receive less of patronId']],
  ['headers to no identity narrows', HEADERS_BASE, { identity: 'identity: { delivery: none }', fields: '' }, 'narrower', [['fields.patronId', 'narrower'], ['identity.delivery', 'narrower'], ['identity.names', 'neutral']], true, ['vendors will receive less of patronId', 'the vendor will receive no identity', 'the header or parameter names that carry the vendor view']],
  ['two new hosts, headers and body types are each named', {}, { upstream: UPSTREAM.replace('cdn.vendor.example', 'cdn.vendor.example, a.example, b.example'), request: 'request: { headers: [x-requested-with, x-a, x-b], bodyTypes: [application/json, text/plain, text/csv] }' }, 'wider', [['upstream.hosts', 'wider'], ['request.headers', 'wider'], ['request.bodyTypes', 'wider']], true, ['requests may now reach a.example, b.example', 'the vendor will receive the request headers x-a, x-b', 'request bodies of type text/csv, text/plain will be forwarded']],
  ['a browse domain added widens: every host under it may be reached', { browse: 'browse: {}' }, { browse: 'browse: { domains: [vendor.example] }' }, 'wider', [['browse.domains', 'wider']], true, ['requests may now reach every host under vendor.example']],
  ['a browse domain removed narrows', { browse: 'browse: { domains: [vendor.example, cdn.example] }' }, { browse: 'browse: { domains: [vendor.example] }' }, 'narrower', [['browse.domains', 'narrower']], true, ['requests may reach hosts under fewer domains']],
  ['a blocked collection path unblocked widens (blocking works the other way round)', { browse: 'browse: { block: { paths: [/collect, /beacon] } }' }, { browse: 'browse: { block: { paths: [/collect] } }' }, 'wider', [['browse.block', 'wider']], true, ['requests to path /beacon will no longer be blocked']],
  ['the shipped analytics list turned off widens', { browse: 'browse: {}' }, { browse: 'browse: { block: { defaults: false } }' }, 'wider', [['browse.block', 'wider']], true, ['requests to the shipped analytics paths will no longer be blocked']],
  ['a cloaked metrics host blocked narrows', { browse: 'browse: {}' }, { browse: 'browse: { block: { hosts: [metrics.vendor.example] } }' }, 'narrower', [['browse.block', 'narrower']], true, ['more collection endpoints will be blocked']],
  ['browse rewriting (script hosts, find/replace, never-proxied hosts) and pinned addresses ask nobody again: the hosts reached stay the same', { browse: 'browse: {}' }, { browse: 'browse: { scriptHosts: [api.vendor.example], replace: [{ find: a, replace: b }], neverProxy: [maps.example] }', upstream: UPSTREAM.replace(' }', ', pin: { api.vendor.example: 127.0.0.1 } }') }, 'none', [], false, []],
  ['a grant that gains a submission address widens', { ...GRANT, upstream: '' }, GRANT, 'wider', [['upstream.url', 'wider'], ['upstream.hosts', 'wider']], true, ['the gateway will send requests to this vendor', 'requests may now reach grants.example']],
  ['a grant that loses its submission address narrows', GRANT, { ...GRANT, upstream: '' }, 'narrower', [['upstream.url', 'narrower'], ['upstream.hosts', 'narrower']], true, ['the gateway will no longer send requests to this vendor', 'requests may reach fewer hosts']],
];

describe('diffContracts lists every change to what leaves, and each one changes the notice version', () => {
  it.each(CASES)('%s', (_name, before, after, overall, changes, noticeChanged, meanings) => {
    const diff = diffContracts(variant(before), variant(after));
    expect(diff.changes.map((c) => [c.path, c.direction])).toEqual(changes);
    expect(diff.changes.map((c) => c.meaning)).toEqual(meanings);
    expect(diff.overall).toBe(overall);
    expect(diff.noticeVersionChanged).toBe(noticeChanged);
    expect(diff.vendor).toBe('test-vendor');
    for (const change of diff.changes) expect(change.before).not.toBe(change.after);
  });

  it('anything wider makes the whole change wider, even if other things narrow', () => {
    const diff = diffContracts(base, variant({ fields: 'fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: birthYear } }' }));
    expect(diff.changes.map((c) => c.direction).sort()).toEqual(['narrower', 'wider']);
    expect(diff.overall).toBe('wider');
  });

  it('says what changed in words a reviewer can check', () => {
    const diff = diffContracts(base, variant({ upstream: UPSTREAM.replace('cdn.vendor.example', 'cdn.vendor.example, tracker.example'), request: REQUEST.replace('[x-requested-with]', '[x-client, x-requested-with]'), fields: FIELDS.replace(', consent: share-email', '') }));
    expect(diff.changes).toEqual([
      { path: 'fields.email', before: 'pass as email (consent share-email)', after: 'pass as email', direction: 'wider', meaning: 'vendors will receive more of email' },
      { path: 'upstream.hosts', before: 'api.vendor.example, cdn.vendor.example', after: 'api.vendor.example, cdn.vendor.example, tracker.example', direction: 'wider', meaning: 'requests may now reach tracker.example' },
      { path: 'request.headers', before: 'x-requested-with', after: 'x-client, x-requested-with', direction: 'wider', meaning: 'the vendor will receive the request headers x-client' },
    ]);
    expect(diffContracts(base, variant(withBirthDate('{ action: generalize, to: isMinor }'))).changes[0]).toMatchObject({ before: 'generalize to ageBand [0-5, 6-11, 12-17, 18-64, 65+] as ageBand', after: 'generalize to isMinor as isMinor', meaning: 'vendors will receive less of birthDate' });
    expect(diffContracts(base, variant({ fields: FIELDS.replace('as: sub', 'as: uid') })).changes[0]?.meaning).toBe('patronId is sent differently');
    expect(diffContracts(base, variant({ request: 'request: { headers: [x-requested-with] }' })).changes).toEqual([
      { path: 'request.bodyTypes', before: 'application/json', after: '(any)', direction: 'wider', meaning: 'request bodies of any type will be forwarded' },
    ]);
  });

  it('formats a diff for a terminal', () => {
    expect(formatContractDiff(diffContracts(base, base))).toBe('test-vendor: no change for patrons');
    expect(formatContractDiff(diffContracts(base, variant({ contract: 'contract: { reference: T-1, effective: 2026-01-01, expires: 2029-12-31 }' })))).toBe(
      'test-vendor: sharing becomes NONE\nThe notice version is unchanged.\n\n  ~ contract.expires: 2027-12-31 -> 2029-12-31 (the last day the contract is in force)',
    );
    expect(formatContractDiff(diffContracts(base, variant({ request: REQUEST.replace('[x-requested-with]', '[]'), minors: 'minors: { under13: block, under18: parental-consent }', fields: FIELDS.replace(', consent: share-email', '') })))).toBe(
      [
        'test-vendor: sharing becomes WIDER',
        'Patrons will be asked to accept the notice again.',
        '',
        '  + fields.email: pass as email (consent share-email) -> pass as email (vendors will receive more of email)',
        '  - minors.under13: parental-consent -> block (patrons under 13: block)',
        '  - minors.under18: adult rules -> parental-consent (patrons aged 13 to 17: parental-consent)',
        '  - request.headers: x-requested-with -> (none) (the vendor will receive fewer request headers)',
      ].join('\n'),
    );
    expect(formatContractDiff({ vendor: 'v', changes: [], noticeVersionChanged: true, overall: 'none' })).toBe('v: no change for patrons (but the notice version changed)');
  });
});
