import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeSamlSp } from '../helpers/saml-sp.ts';
import { CookieJar, followSignIn, readPostedForm, SAML_NOW, startSamlGateway, step, type SamlGateway } from '../helpers/saml-gateway.ts';

/**
 * A declined notice and a blocked minor both reach the SP as a Responder/RequestDenied Response
 * without an assertion (the vendor cannot tell them apart); a canary patron's values beyond the
 * contract's view appear in no assertion, log line or metric.
 */
const CANARY = {
  record: {
    patronId: 'CANpid8841', barcode: '29999000000001', firstName: 'Zelphira', lastName: 'Quonkwell', email: 'zq.canary@canary-mail.example', phone: '(555) 867-5309',
    address: { street: '42 Canaryvale Crescent', city: 'Canarytown', state: 'Canarystate', postalCode: '06880' }, birthDate: '1979-03-17', patronType: 'canarytype', homeBranch: 'canarybranch', language: 'canarylang', consents: ['share-email-with-vendors'],
  },
  pin: '8642',
};
const CHILD = { record: { patronId: 'p-child', barcode: '29999000000002', firstName: 'Kid', lastName: 'Young', birthDate: '2019-06-01', patronType: 'juvenile' }, pin: '1111' };
const CANARY_STRINGS = ['CANpid8841', '29999000000001', 'Zelphira', 'Quonkwell', 'zq.canary', '867-5309', 'Canaryvale', 'Canarytown', 'Canarystate', '06880', '1979-03-17', 'canarytype', 'canarybranch', 'canarylang'];
const SP = { entityId: 'https://kids.example/sp', acsUrl: 'https://kids.example/acs', signRequests: false };
let gateway: SamlGateway;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: SAML_NOW });
  // The contract passes only the pseudonym, the affiliation and an age band: names, e-mail, address, birth date stay home.
  gateway = await startSamlGateway([{ id: 'kids', sp: SP, body: "preset: pseudonymous\nfields:\n  birthDate: { action: generalize, to: ageBand }\nminors: { under13: block }", samlExtra: '    attributes: { ageBand: https://kids.example/ageBand }' }], [CANARY, CHILD], { affiliations: { canarytype: 'member' } });
});
afterAll(async () => {
  await gateway.harness.close();
  vi.useRealTimers();
});

async function run(patron: { record: { barcode: string }; pin: string }, decision: 'accept' | 'decline') {
  const { saml } = createNodeSamlSp({ ...SP, gatewayUrl: gateway.harness.url, idpCertBase64: gateway.idp.certBase64 });
  const jar = new CookieJar();
  const first = await step(jar, await saml.getAuthorizeUrlAsync('rs', undefined, {}));
  const end = await followSignIn(gateway.harness.url, jar, first, { barcode: patron.record.barcode, pin: patron.pin }, { decision, consents: ['share-email-with-vendors'] });
  expect(end.status).toBe(200);
  const form = readPostedForm(end.text);
  return { saml, form, xml: Buffer.from(form.SAMLResponse, 'base64').toString('utf8'), visited: end.visited };
}

describe('declined and blocked sign-ins', () => {
  it('declining the notice posts a RequestDenied Response without an assertion, which node-saml reports as a failure', async () => {
    const { saml, form, xml, visited } = await run(CANARY, 'decline');
    expect(visited).toContain('/saml/decline');
    expect(form.action).toBe(SP.acsUrl);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:Responder');
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:RequestDenied');
    expect(xml).not.toContain('Assertion');
    await expect(saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse, RelayState: 'rs' })).rejects.toThrow(/Responder|RequestDenied/);
  });

  it('a child under a contract that blocks under-13s: the same RequestDenied, no notice shown, no assertion', async () => {
    const { xml, visited } = await run(CHILD, 'accept');
    expect(visited).not.toContain('/notices/kids');
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:RequestDenied');
    expect(xml).not.toContain('Assertion');
  });
});

describe('passive requests', () => {
  it('IsPassive with nobody signed in: a NoPassive Response straight away, no sign-in page', async () => {
    const { saml } = createNodeSamlSp({ ...SP, gatewayUrl: gateway.harness.url, idpCertBase64: gateway.idp.certBase64, overrides: { passive: true } });
    const response = await step(new CookieJar(), await saml.getAuthorizeUrlAsync('rs', undefined, {}));
    expect(response.status).toBe(200);
    const xml = Buffer.from(readPostedForm(await response.text()).SAMLResponse, 'base64').toString('utf8');
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:status:NoPassive');
    expect(xml).not.toContain('Assertion');
  });
});

describe('canary patron values', () => {
  it('appear in no assertion, no log line and no metric; only the view is released', async () => {
    const { saml, form, xml } = await run(CANARY, 'accept');
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse, RelayState: 'rs' });
    expect(Object.keys((profile as unknown as { attributes: object }).attributes).sort()).toEqual(['https://kids.example/ageBand', 'urn:oasis:names:tc:SAML:attribute:pairwise-id', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9']);
    const metrics = await (await fetch(`${gateway.harness.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_requests_total\{[^}]*vendor="kids"[^}]*channel="saml"[^}]*\} [1-9]/);
    const everything = [xml, gateway.harness.logs.join('\n'), metrics].join('\n').toLowerCase();
    expect(CANARY_STRINGS.filter((canary) => everything.includes(canary.toLowerCase()))).toEqual([]);
  });
});
