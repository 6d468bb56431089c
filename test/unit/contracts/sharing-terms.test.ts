import { describe, expect, it } from 'vitest';
import { renderContractJsonSchema } from '../../../src/contracts/contract-json-schema.ts';
import { LISTED_TERMS, SHARING_TERMS } from '../../../src/contracts/sharing-terms.ts';
import { CANONICAL_FIELDS } from '../../../src/policy/canonical-fields.ts';

interface SchemaNode {
  readonly properties?: Record<string, SchemaNode>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly type?: string;
  readonly items?: SchemaNode;
}

/** Every key a contract can hold, as a dotted path (`fields.*.consent`, `report.dimensions[].from`). */
function listContractKeys(node: SchemaNode, path = ''): string[] {
  if (node.properties) return Object.entries(node.properties).flatMap(([key, child]) => listContractKeys(child, path === '' ? key : `${path}.${key}`));
  if (typeof node.additionalProperties === 'object' && node.additionalProperties.properties) return listContractKeys(node.additionalProperties, `${path}.*`);
  if (node.type === 'array' && node.items?.properties) return listContractKeys(node.items, `${path}[]`);
  return [path];
}

/**
 * Where each contract key is accounted for: the sharing term whose description covers it (so the
 * diff lists it and the notice version hashes it), a period term (listed, not asked again), or why
 * it cannot change what leaves. A key added to the schema fails this test until it is placed.
 */
const PLACES: Readonly<Record<string, string>> = {
  id: 'not shared: a different id is a different vendor (the diff refuses to compare them)',
  name: 'not shared: wording',
  purpose: 'not shared: wording',
  consents: 'not shared: labels for consents the rules name (wording)',
  kind: 'kind',
  'contract.reference': 'not shared: the paperwork reference',
  'contract.effective': 'contract.effective',
  'contract.expires': 'contract.expires',
  'contract.reviewed': 'not shared: a review date',
  'contract.privacyPolicy': 'not shared: a link shown on the notice',
  'upstream.url': 'upstream.url',
  'upstream.hosts': 'upstream.hosts',
  'upstream.timeoutMs': 'not shared: how long the gateway waits',
  'upstream.pin': 'not shared: the address the gateway connects to for a host it may already reach',
  'browse.domains': 'browse.domains',
  'browse.scriptHosts': 'not shared: which allowed hosts are rewritten inside scripts; the hosts reached stay upstream.hosts and browse.domains',
  'browse.replace[].find': 'not shared: rewrites the vendor\'s own pages; the hosts reached stay bounded and the guard checks every request',
  'browse.replace[].replace': 'not shared: rewrites the vendor\'s own pages; the hosts reached stay bounded and the guard checks every request',
  'browse.replace[].types': 'not shared: rewrites the vendor\'s own pages; the hosts reached stay bounded and the guard checks every request',
  'browse.neverProxy': 'not shared: links to these hosts leave through the /leaving page, by the patron\'s choice',
  'browse.block.paths': 'browse.block',
  'browse.block.hosts': 'browse.block',
  'browse.block.defaults': 'browse.block',
  'identity.delivery': 'identity.delivery',
  'identity.header': 'identity.header',
  'identity.lifetimeSeconds': 'identity.lifetimeSeconds',
  'identity.names': 'identity.names',
  'identity.sip2.statusFlags': 'identity.sip2.statusFlags',
  'identity.sip2.cannotBorrow': 'identity.sip2.cannotBorrow',
  'identity.sip2.expiry': 'identity.sip2.expiry',
  'identity.sip2.fines': 'identity.sip2.fines',
  'identity.sip2.fineLimit': 'identity.sip2.fines',
  'identity.sip2.personalName': 'not shared: a fixed text, the same for every patron',
  'identity.sip2.counts': 'not shared: blank or zero, never real counts',
  'identity.sip2.pin': 'identity.sip2.pin',
  'identity.sip2.institution': 'not shared: a fixed institution code, the same for every patron',
  'identity.saml.metadata': 'not shared: the SP\'s own metadata file (its addresses and certificate), read at startup',
  'identity.saml.nameId': 'identity.saml.nameId',
  'identity.saml.attributes': 'identity.saml.attributes',
  'identity.saml.affiliations': 'identity.saml.affiliations',
  'identity.oidc.clientId': 'identity.oidc.clientId',
  'identity.oidc.redirectUris': 'identity.oidc.redirectUris',
  'identity.oidc.clientSecret': 'identity.oidc.auth',
  'identity.oidc.jwks.keys': 'identity.oidc.auth',
  'identity.oidc.scopes': 'identity.oidc.scopes',
  preset: 'fields.*',
  'fields.*.action': 'fields.*',
  'fields.*.to': 'fields.*',
  'fields.*.as': 'fields.*',
  'fields.*.consent': 'fields.*',
  'fields.*.bands': 'fields.*',
  'fields.*.note': 'not shared: a note for reviewers',
  'minors.under13': 'minors.under13',
  'minors.under18': 'minors.under18',
  'request.headers': 'request.headers',
  'request.onPatronData': 'request.onPatronData',
  'request.bodyTypes': 'request.bodyTypes',
  'response.headers': 'not shared: what the vendor tells the patron\'s browser, not what leaves about the patron',
  'report.dimensions[].name': 'not shared: a column heading',
  'report.dimensions[].from': 'report.dimensions',
  'report.dimensions[].generalize': 'report.dimensions',
  'report.dimensions[].bands': 'report.dimensions',
  'report.dimensions[].within': 'report.dimensions',
  'report.measures': 'report.measures',
  'report.minCellSize': 'report.minCellSize',
  'report.totals': 'report.totals',
  'report.dimensions[].sensitive': 'not shared: protects zeros, publishes nothing more',
  'report.protection.lower': 'not shared: widens what stays hidden, publishes nothing more',
  'report.protection.upper': 'not shared: widens what stays hidden, publishes nothing more',
  'report.suppressionCost': 'not shared: chooses which cells are hidden, every pattern passes the same audit',
  'report.period': 'report.period',
  'report.noise.mechanism': 'report.noise',
  'report.noise.epsilon': 'report.noise',
  'report.noise.maxAttendancesPerPerson': 'not shared: a bound on one person\'s contribution; epsilon (per person) is the privacy loss whatever the bounds',
  'report.noise.maxCellsPerPerson': 'not shared: a bound on one person\'s contribution; epsilon (per person) is the privacy loss whatever the bounds',
};

describe('sharing terms', () => {
  const termPaths = new Set([...SHARING_TERMS, ...LISTED_TERMS].map((t) => t.path));

  it('account for every key a contract can hold: each is a term, or is stated not to change what leaves', () => {
    const keys = listContractKeys(JSON.parse(renderContractJsonSchema()) as SchemaNode);
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((key) => PLACES[key] === undefined)).toEqual([]);
    expect(Object.keys(PLACES).filter((key) => !keys.includes(key))).toEqual([]);
    for (const place of Object.values(PLACES)) {
      if (place.startsWith('not shared: ')) continue;
      if (place === 'fields.*') for (const field of CANONICAL_FIELDS) expect(termPaths.has(`fields.${field}`)).toBe(true);
      else expect(termPaths.has(place), place).toBe(true);
    }
  });

  it('have one path each', () => {
    expect(termPaths.size).toBe(SHARING_TERMS.length + LISTED_TERMS.length);
  });
});
