import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parseSpMetadata } from '../../../../../src/channels/federation/saml/parse-sp-metadata.ts';
import type { ServiceProvider } from '../../../../../src/channels/federation/saml/service-provider.ts';
import { verifyAuthnRequest, type VerifyContext } from '../../../../../src/channels/federation/saml/verify-authn-request.ts';
import { createNodeSamlSp, createRsaCertificate, renderSpMetadata, type RsaCertificate } from '../../../../helpers/saml-sp.ts';

/**
 * The AuthnRequest verifier against requests made by node-saml (an independent SP) and then bent
 * into known signature-wrapping shapes (XSW1..XSW8 in the style of Somorovsky et al.), tampered,
 * or broken: every one is refused, and a refusal never reads what was not signed.
 */
const NOW = new Date('2026-11-29T12:00:00Z');
const SSO = 'https://gateway.test/saml/sso';
const SP = { entityId: 'https://sp.test/sp', acsUrl: 'https://sp.test/acs', signRequests: true };
const EVIL_ACS = 'https://evil.test/acs';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';

let certificate: RsaCertificate;
let provider: ServiceProvider;
let context: VerifyContext;
let signedXml: string;
let unsignedXml: string;

async function makeRequest(sign: boolean, overrides: Record<string, unknown> = {}): Promise<string> {
  const { saml } = createNodeSamlSp({ ...SP, signRequests: sign, certificate, gatewayUrl: 'https://gateway.test', idpCertBase64: 'AAAA', binding: 'HTTP-POST', overrides: { skipRequestCompression: true, ...overrides } });
  const message = (await saml.getAuthorizeMessageAsync('', undefined, {})) as Record<string, string>;
  return Buffer.from(message['SAMLRequest'] ?? '', 'base64').toString('utf8');
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  certificate = createRsaCertificate('xsw sp');
  const parsed = parseSpMetadata('sp', renderSpMetadata(SP, certificate), (path, message) => {
    throw new Error(`${path}: ${message}`);
  });
  provider = parsed as ServiceProvider;
  context = { providers: new Map([[provider.entityId, provider]]), ssoUrl: SSO, now: NOW, maxAgeSeconds: 300 };
  signedXml = await makeRequest(true);
  unsignedXml = await makeRequest(false);
  vi.useRealTimers();
});

const parse = (xml: string): Document => new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document;
const serialize = (document: Document): string => new XMLSerializer().serializeToString(document as never);
const root = (document: Document): Element => document.documentElement;
const signatureOf = (document: Document): Element => document.getElementsByTagNameNS(DSIG, 'Signature')[0] as Element;

/** The signed request as the attacker's starting point: a copy whose ACS points elsewhere and whose ID is new. */
function evilCopy(document: Document): Element {
  const evil = root(document).cloneNode(true) as Element;
  evil.setAttribute('AssertionConsumerServiceURL', EVIL_ACS);
  evil.setAttribute('ID', '_evil');
  const signature = evil.getElementsByTagNameNS(DSIG, 'Signature')[0];
  if (signature) evil.removeChild(signature);
  return evil;
}

const WRAPPINGS: ReadonlyArray<[string, (document: Document) => Document]> = [
  ['XSW1: the signed request inside the Signature (an Object), an evil request as the root', (document) => {
    const signed = root(document);
    const signature = signatureOf(document);
    const evil = evilCopy(document);
    const object = document.createElementNS(DSIG, 'ds:Object');
    signed.removeChild(signature);
    object.appendChild(signed);
    signature.appendChild(object);
    evil.insertBefore(signature, evil.firstChild?.nextSibling ?? null);
    document.replaceChild(evil, document.documentElement);
    return document;
  }],
  ['XSW2: as XSW1, the evil root keeping the original ID', (document) => {
    const signed = root(document);
    const signature = signatureOf(document);
    const evil = evilCopy(document);
    evil.setAttribute('ID', signed.getAttribute('ID') ?? '');
    signed.removeChild(signature);
    const object = document.createElementNS(DSIG, 'ds:Object');
    object.appendChild(signed);
    signature.appendChild(object);
    evil.appendChild(signature);
    document.replaceChild(evil, document.documentElement);
    return document;
  }],
  ['XSW3: the signed request in the evil request\'s Extensions', (document) => {
    const signed = root(document);
    const evil = evilCopy(document);
    const extensions = document.createElementNS(PROTOCOL, 'samlp:Extensions');
    extensions.appendChild(signed.cloneNode(true));
    evil.appendChild(extensions);
    document.replaceChild(evil, document.documentElement);
    return document;
  }],
  ['XSW4: the evil request in the signed one\'s Extensions (the signature still verifies nothing inside)', (document) => {
    const extensions = document.createElementNS(PROTOCOL, 'samlp:Extensions');
    extensions.appendChild(evilCopy(document));
    root(document).appendChild(extensions);
    return document;
  }],
  ['XSW5: the signature moved from the signed request to the evil one, the signed request as its child', (document) => {
    const signed = root(document);
    const signature = signatureOf(document);
    const evil = evilCopy(document);
    signed.removeChild(signature);
    evil.appendChild(signature);
    evil.appendChild(signed);
    document.replaceChild(evil, document.documentElement);
    return document;
  }],
  ['XSW6: a second Signature, unsigned, added next to the real one', (document) => {
    root(document).appendChild(signatureOf(document).cloneNode(true));
    return document;
  }],
  ['XSW7: the Signature moved into a child element (not enveloping the root)', (document) => {
    const signature = signatureOf(document);
    root(document).removeChild(signature);
    const policy = document.getElementsByTagNameNS(PROTOCOL, 'NameIDPolicy')[0] as Element;
    policy.appendChild(signature);
    return document;
  }],
  ['XSW8: a second Issuer (a known SP) appended after the signed one', (document) => {
    const issuer = document.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0] as Element;
    root(document).appendChild(issuer.cloneNode(true));
    return document;
  }],
];

describe('signature wrapping shapes against the request verifier', () => {
  it('the untouched signed request verifies, and is read from what was signed', () => {
    const result = verifyAuthnRequest({ binding: 'post', xml: signedXml }, context);
    expect(result).toMatchObject({ request: { signed: true, acs: { location: SP.acsUrl } } });
  });

  it.each(WRAPPINGS)('%s is refused', (_name, wrap) => {
    const xml = serialize(wrap(parse(signedXml)));
    const result = verifyAuthnRequest({ binding: 'post', xml }, context);
    expect(result).toHaveProperty('refused');
    expect(JSON.stringify(result)).not.toContain('evil');
  });
});

describe('tampering and strictness', () => {
  const cases: ReadonlyArray<[string, () => string, string, VerifyContext?]> = [
    ['a signed attribute changed after signing (the ACS) breaks the signature', () => signedXml.replace(SP.acsUrl, EVIL_ACS), 'signature-invalid'],
    ['the signature value changed', () => signedXml.replace(/(<(?:ds:)?SignatureValue>)(.)/, (_m, tag: string, c: string) => `${tag}${c === 'A' ? 'B' : 'A'}`), 'signature-invalid'],
    ['an unsigned request from an SP whose metadata says AuthnRequestsSigned', () => unsignedXml, 'signature-missing'],
    ['a DOCTYPE with an external entity (XXE)', () => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${unsignedXml.replace('<?xml version="1.0"?>', '')}`, 'dtd'],
    ['an internal entity declaration (billion laughs)', () => `<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>`, 'dtd'],
    ['a document larger than 64 KiB', () => `<samlp:AuthnRequest xmlns:samlp="${PROTOCOL}">${' '.repeat(70 * 1024)}</samlp:AuthnRequest>`, 'too-large'],
    ['XML that is not well-formed', () => '<samlp:AuthnRequest xmlns:samlp="x"><unclosed></samlp:AuthnRequest>', 'malformed'],
    ['another root element', () => unsignedXml.replace(/AuthnRequest/g, 'LogoutRequest'), 'not-authn-request'],
  ];
  it.each(cases)('%s', (_name, make, refused) => {
    expect(verifyAuthnRequest({ binding: 'post', xml: make() }, context)).toEqual({ refused });
  });

  describe('unsigned requests from an SP that does not sign', () => {
    const open = (): VerifyContext => ({ ...context, providers: new Map([[provider.entityId, { ...provider, authnRequestsSigned: false }]]) });
    const unsigned: ReadonlyArray<[string, (xml: string) => string, string]> = [
      ['an unknown Issuer', (xml) => xml.replace(SP.entityId, 'https://stranger.test/sp'), 'unknown-sp'],
      ['Version 1.1', (xml) => xml.replace('Version="2.0"', 'Version="1.1"'), 'version'],
      ['an ID that is not an xs:ID', (xml) => xml.replace(/ID="[^"]+"/, 'ID="1bad"'), 'id'],
      ['an IssueInstant that is not a UTC instant', (xml) => xml.replace(/IssueInstant="[^"]+"/, 'IssueInstant="yesterday"'), 'issue-instant'],
      ['an IssueInstant older than requestMaxAgeSeconds', (xml) => xml.replace(/IssueInstant="[^"]+"/, 'IssueInstant="2026-11-29T11:54:59Z"'), 'stale'],
      ['an IssueInstant more than a minute ahead', (xml) => xml.replace(/IssueInstant="[^"]+"/, 'IssueInstant="2026-11-29T12:01:01Z"'), 'stale'],
      ['another Destination', (xml) => xml.replace(/Destination="[^"]+"/, 'Destination="https://other.test/saml/sso"'), 'destination'],
      ['an ACS URL not in the metadata', (xml) => xml.replace(SP.acsUrl, EVIL_ACS), 'acs'],
      ['an ACS URL differing only by a trailing slash', (xml) => xml.replace(SP.acsUrl, `${SP.acsUrl}/`), 'acs'],
      ['an ACS index not in the metadata', (xml) => xml.replace(/AssertionConsumerServiceURL="[^"]+"/, 'AssertionConsumerServiceIndex="7"'), 'acs'],
      ['both an ACS URL and an index', (xml) => xml.replace('AssertionConsumerServiceURL=', 'AssertionConsumerServiceIndex="1" AssertionConsumerServiceURL='), 'acs'],
      ['the Artifact protocol binding', (xml) => xml.replace('bindings:HTTP-POST', 'bindings:HTTP-Artifact'), 'protocol-binding'],
      ['a NameIDPolicy asking for an e-mail address', (xml) => xml.replace('nameid-format:transient', 'nameid-format:emailAddress'), 'nameid-policy'],
      ['an Issuer Format other than entity', (xml) => xml.replace('<saml:Issuer ', '<saml:Issuer Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" '), 'unknown-sp'],
    ];
    it.each(unsigned)('%s is refused', (_name, bend, refused) => {
      expect(verifyAuthnRequest({ binding: 'post', xml: bend(unsignedXml) }, open())).toEqual({ refused });
    });

    it('the ACS by index, and the default ACS when the request names none', () => {
      const byIndex = verifyAuthnRequest({ binding: 'post', xml: unsignedXml.replace(/AssertionConsumerServiceURL="[^"]+"/, 'AssertionConsumerServiceIndex="1"') }, open());
      const byDefault = verifyAuthnRequest({ binding: 'post', xml: unsignedXml.replace(/AssertionConsumerServiceURL="[^"]+"/, '') }, open());
      expect(byIndex).toMatchObject({ request: { acs: { location: SP.acsUrl }, acsPosition: 0 } });
      expect(byDefault).toMatchObject({ request: { acs: { location: SP.acsUrl }, acsPosition: 0, signed: false, isPassive: false } });
    });

    it('an IssueInstant exactly requestMaxAgeSeconds old, or a minute ahead, is still fresh', () => {
      for (const instant of ['2026-11-29T11:55:00Z', '2026-11-29T12:01:00Z']) {
        expect(verifyAuthnRequest({ binding: 'post', xml: unsignedXml.replace(/IssueInstant="[^"]+"/, `IssueInstant="${instant}"`) }, open())).toHaveProperty('request');
      }
    });

    it('IsPassive="true" is read', () => {
      expect(verifyAuthnRequest({ binding: 'post', xml: unsignedXml.replace('Version="2.0"', 'Version="2.0" IsPassive="true"') }, open())).toMatchObject({ request: { isPassive: true } });
    });

    it('an enveloped signature on an HTTP-Redirect request is refused (that binding signs the query string)', () => {
      expect(verifyAuthnRequest({ binding: 'redirect', xml: signedXml }, open())).toEqual({ refused: 'signature-placement' });
    });

    it('a query-string signature by RSA-SHA1 is refused', () => {
      expect(verifyAuthnRequest({ binding: 'redirect', xml: unsignedXml, querySignature: { sigAlg: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', signature: 'AAAA', signedText: 'x' } }, open())).toEqual({ refused: 'signature-algorithm' });
    });

    it('a query-string signature that does not verify is refused', () => {
      expect(verifyAuthnRequest({ binding: 'redirect', xml: unsignedXml, querySignature: { sigAlg: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', signature: 'AAAA', signedText: 'x' } }, open())).toEqual({ refused: 'signature-invalid' });
    });
  });

  it('a query-string signature by the SP\'s key verifies (HTTP-Redirect), and the same over other text does not', async () => {
    const { sign } = await import('node:crypto');
    const signedText = 'SAMLRequest=abc&SigAlg=http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23rsa-sha256';
    const signature = sign('sha256', Buffer.from(signedText), certificate.key).toString('base64');
    const querySignature = { sigAlg: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', signature, signedText };
    expect(verifyAuthnRequest({ binding: 'redirect', xml: unsignedXml, querySignature }, context)).toMatchObject({ request: { signed: true } });
    expect(verifyAuthnRequest({ binding: 'redirect', xml: unsignedXml, querySignature: { ...querySignature, signedText: `${signedText}&RelayState=x` } }, context)).toEqual({ refused: 'signature-invalid' });
  });

  it('an unsigned HTTP-Redirect request from an SP that signs is refused', () => {
    expect(verifyAuthnRequest({ binding: 'redirect', xml: unsignedXml }, context)).toEqual({ refused: 'signature-missing' });
  });

  it('a request without an Issuer is refused as from an unknown SP', () => {
    expect(verifyAuthnRequest({ binding: 'post', xml: unsignedXml.replace(/<saml:Issuer[\s\S]*<\/saml:Issuer>/, '') }, context)).toEqual({ refused: 'unknown-sp' });
  });

  it('a signed request whose digest is SHA-1 is refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const sha1 = await makeRequest(true, { digestAlgorithm: 'sha1' });
    vi.useRealTimers();
    expect(verifyAuthnRequest({ binding: 'post', xml: sha1 }, context)).toEqual({ refused: 'signature-algorithm' });
  });

  it('a signed request whose reference names another ID is refused', () => {
    const xml = signedXml.replace(/URI="#[^"]+"/, 'URI="#_other"');
    expect(verifyAuthnRequest({ binding: 'post', xml }, context)).toEqual({ refused: 'signature-invalid' });
  });

  it('a signed request whose transforms include one the gateway does not allow is refused', () => {
    const xml = signedXml.replace('http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/TR/1999/REC-xpath-19991116');
    expect(verifyAuthnRequest({ binding: 'post', xml }, context)).toEqual({ refused: 'signature-invalid' });
  });

  it('a signed request by RSA-SHA1 is refused', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const sha1 = await makeRequest(true, { signatureAlgorithm: 'sha1' });
    vi.useRealTimers();
    expect(verifyAuthnRequest({ binding: 'post', xml: sha1 }, context)).toEqual({ refused: 'signature-algorithm' });
  });
});
