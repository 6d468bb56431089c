import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeSamlSp } from '../helpers/saml-sp.ts';
import { CookieJar, followSignIn, readPostedForm, SAML_NOW, SCOPE, startSamlGateway, step, type SamlGateway } from '../helpers/saml-gateway.ts';

/**
 * A patron signs in to SAML vendors through the gateway: an independent SP (@node-saml/node-saml)
 * sends the AuthnRequest (HTTP-Redirect and HTTP-POST, signed and unsigned), the patron signs in on
 * the gateway's form and accepts the notice, and node-saml validates the signed Response and reads
 * exactly the contract's attributes.
 */
const ADULT = { record: { patronId: 'p-adult-1', barcode: '21000000000001', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', birthDate: '1990-05-01', patronType: 'adult', consents: ['share-email-with-vendors'] }, pin: '1234' };
const PAIRWISE = 'urn:oasis:names:tc:SAML:attribute:pairwise-id';
const AFFILIATION = 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9';

let gateway: SamlGateway;
const sp = (id: string, signRequests: boolean) => ({ entityId: `https://${id}.example/sp`, acsUrl: `https://${id}.example/acs`, signRequests });

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: SAML_NOW });
  gateway = await startSamlGateway(
    [
      { id: 'journals', sp: sp('journals', false), body: `preset: pseudonymous\nfields:\n  email: { action: pass, consent: share-email-with-vendors }\n  birthDate: { action: generalize, to: ageBand }`, samlExtra: '    attributes: { ageBand: https://journals.example/ageBand }' },
      { id: 'signed-db', sp: sp('signed-db', true), body: 'preset: personalized', samlExtra: '    nameId: pairwise-id' },
    ],
    [ADULT],
  );
});
afterAll(async () => {
  await gateway.harness.close();
  vi.useRealTimers();
});

async function signIn(vendor: string, binding: 'HTTP-Redirect' | 'HTTP-POST', signRequests: boolean, consents: string[] = [], deflatePost = false) {
  // HTTP-POST as the binding defines it (the XML, not deflated) unless told to deflate, as node-saml does by default.
  const { saml } = createNodeSamlSp({ ...sp(vendor, signRequests), certificate: gateway.spCertificates.get(vendor), gatewayUrl: gateway.harness.url, idpCertBase64: gateway.idp.certBase64, binding, overrides: { skipRequestCompression: binding === 'HTTP-POST' && !deflatePost } });
  const jar = new CookieJar();
  let first: Response;
  if (binding === 'HTTP-Redirect') {
    first = await step(jar, await saml.getAuthorizeUrlAsync('relay-42', undefined, {}));
  } else {
    const message = (await saml.getAuthorizeMessageAsync('relay-42', undefined, {})) as Record<string, string>;
    first = await step(jar, `${gateway.harness.url}/saml/sso`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(message).toString() });
  }
  const end = await followSignIn(gateway.harness.url, jar, first, { barcode: ADULT.record.barcode, pin: ADULT.pin }, { decision: 'accept', consents });
  expect(end.status).toBe(200);
  const form = readPostedForm(end.text);
  const validated = await saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse, ...(form.RelayState !== undefined ? { RelayState: form.RelayState } : {}) });
  return { form, profile: validated.profile as Record<string, unknown>, visited: end.visited, saml };
}

describe('SAML sign-in through the gateway, validated by node-saml', () => {
  it.each([
    ['HTTP-Redirect', false],
    ['HTTP-POST', false],
  ] as const)('an unsigned %s request: sign-in form, notice, then a signed Response with exactly the contract attributes', async (binding, signed) => {
    const { form, profile, visited } = await signIn('journals', binding, signed, ['share-email-with-vendors']);
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
    expect(xml.match(/<saml:Assertion[ >]/g)).toHaveLength(1);
    expect(xml.match(/<ds:Signature[ >]/g)).toHaveLength(2);
    expect(visited[0]).toBe('/login');
    expect(visited).toContain('/notices/journals');
    expect(form.action).toBe('https://journals.example/acs');
    expect(form.RelayState).toBe('relay-42');
    expect(profile['nameIDFormat']).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
    const pairwise = String(profile[PAIRWISE]);
    expect(pairwise).toMatch(new RegExp(`^[a-z2-7]{32}@${SCOPE.replace('.', '\\.')}$`));
    expect(profile[AFFILIATION]).toBe(`member@${SCOPE}`);
    expect(profile['urn:oid:0.9.2342.19200300.100.1.3']).toBe('ada@example.org');
    expect(profile['https://journals.example/ageBand']).toBe('18-64');
    const attributeNames = Object.keys(profile['attributes'] as Record<string, unknown>).sort();
    expect(attributeNames).toEqual([PAIRWISE, 'https://journals.example/ageBand', 'urn:oid:0.9.2342.19200300.100.1.3', AFFILIATION].sort());
  });

  it('a deflated HTTP-POST request (node-saml\'s default, outside the binding) is inflated within the same bound and answered', async () => {
    const { profile } = await signIn('journals', 'HTTP-POST', false, [], true);
    expect(profile[AFFILIATION]).toBe(`member@${SCOPE}`);
  });

  it('without the consent ticked on the notice, mail is withheld from the assertion', async () => {
    const { profile } = await signIn('journals', 'HTTP-Redirect', false, []);
    expect(Object.keys(profile['attributes'] as Record<string, unknown>)).not.toContain('urn:oid:0.9.2342.19200300.100.1.3');
  });

  it('the same patron gets the same pairwise id from two sign-ins (a stable pseudonym), and a fresh transient NameID each time', async () => {
    const a = await signIn('journals', 'HTTP-Redirect', false);
    const b = await signIn('journals', 'HTTP-POST', false);
    expect(a.profile[PAIRWISE]).toBe(b.profile[PAIRWISE]);
    expect(a.profile['nameID']).not.toBe(b.profile['nameID']);
  });

  it.each(['HTTP-Redirect', 'HTTP-POST'] as const)('a signed %s request from an SP that requires signing: personalized attributes and the pairwise id as a persistent NameID', async (binding) => {
    const { profile } = await signIn('signed-db', binding, true);
    expect(profile['nameIDFormat']).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    expect(profile['nameID']).toBe(profile[PAIRWISE]);
    expect(profile['urn:oid:2.5.4.42']).toBe('Ada');
    expect(profile['urn:oid:2.5.4.4']).toBe('Lovelace');
    expect(profile['urn:oid:2.16.840.1.113730.3.1.241']).toBe('Ada Lovelace');
    expect(profile['urn:oid:0.9.2342.19200300.100.1.3']).toBe('ada@example.org');
  });

  it('pairwise ids differ across vendors for the same patron', async () => {
    const a = await signIn('journals', 'HTTP-Redirect', false);
    const b = await signIn('signed-db', 'HTTP-Redirect', true);
    expect(String(a.profile[PAIRWISE]).split('@')[0]).not.toBe(String(b.profile[PAIRWISE]).split('@')[0]);
  });

  it('the home page names a SAML service without a /v/ link: it is used on its own site', async () => {
    const home = await (await fetch(`${gateway.harness.url}/`)).text();
    expect(home).toContain('journals display name: Testing SAML (on the service');
    expect(home).not.toContain('href="/v/journals/"');
  });

  it('the public register and the notice describe the delivery as a SAML sign-in', async () => {
    const register = await (await fetch(`${gateway.harness.url}/privacy/vendors`)).text();
    expect(register).toContain('journals display name');
    expect(register).toContain('When you sign in to the service with your library account');
    const json = (await (await fetch(`${gateway.harness.url}/privacy/vendors.json`)).json()) as { vendors: Array<{ id: string; delivery: string }> };
    expect(json.vendors.find((v) => v.id === 'journals')?.delivery).toBe('saml');
  });

  it('publishes its metadata with the signing certificate and both SSO bindings', async () => {
    const response = await fetch(`${gateway.harness.url}/saml/metadata`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
    expect(text).toContain(`entityID="${gateway.harness.url}/saml/metadata"`);
    expect(text).toContain(gateway.idp.certBase64);
    expect(text).toContain('bindings:HTTP-Redirect" Location="' + gateway.harness.url + '/saml/sso"');
    expect(text).toContain('bindings:HTTP-POST" Location="' + gateway.harness.url + '/saml/sso"');
  });
});
