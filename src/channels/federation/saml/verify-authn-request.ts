import { verify as verifySignature } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { countElements, listChildren, parseSamlXml, readAttribute, readText } from './parse-saml-xml.ts';
import { BINDING, ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, NAMEID_FORMAT, NS, RSA_SHA256, SHA256 } from './saml-names.ts';
import type { AssertionConsumerService, ServiceProvider } from './service-provider.ts';

/** Why an AuthnRequest was refused: a stable code for logs, metrics-free (never a value from the request). */
export const REQUEST_REFUSALS = [
  'missing-request',
  'encoding',
  'relay-state',
  'replayed',
  'too-large',
  'dtd',
  'malformed',
  'not-authn-request',
  'duplicate-elements',
  'version',
  'id',
  'issue-instant',
  'stale',
  'unknown-sp',
  'destination',
  'acs',
  'protocol-binding',
  'nameid-policy',
  'signature-missing',
  'signature-algorithm',
  'signature-invalid',
  'signature-placement',
] as const;
export type RequestRefusal = (typeof REQUEST_REFUSALS)[number];

/** An AuthnRequest as it arrived, decoded from its binding. */
export interface ArrivedRequest {
  readonly binding: 'redirect' | 'post';
  /** The request's XML (inflated for HTTP-Redirect). */
  readonly xml: string;
  /** HTTP-Redirect with a query-string signature: the algorithm, the signature (base64) and the exact signed text. */
  readonly querySignature?: { readonly sigAlg: string; readonly signature: string; readonly signedText: string };
}

export interface VerifyContext {
  /** Known SPs by entity id. */
  readonly providers: ReadonlyMap<string, ServiceProvider>;
  /** The gateway's SSO URL: Destination must be exactly this. */
  readonly ssoUrl: string;
  readonly now: Date;
  /** How old IssueInstant may be. */
  readonly maxAgeSeconds: number;
}

/** What the gateway takes from a verified AuthnRequest: only these, read from what was signed. */
export interface VerifiedRequest {
  readonly provider: ServiceProvider;
  readonly id: string;
  /** The ACS the response goes to (HTTP-POST), and its position in the SP's list. */
  readonly acs: AssertionConsumerService;
  readonly acsPosition: number;
  readonly isPassive: boolean;
  readonly signed: boolean;
}

/** How far in the future an IssueInstant may be (clock skew between the SP and the gateway). */
export const FUTURE_SKEW_SECONDS = 60;
const XS_ID = /^[A-Za-z_][A-Za-z0-9._-]{0,255}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const ACCEPTED_NAMEID_FORMATS: ReadonlySet<string> = new Set([NAMEID_FORMAT.unspecified, NAMEID_FORMAT.transient, NAMEID_FORMAT.persistent]);
/** Elements an AuthnRequest may hold at most one of, anywhere in the document: a second copy is a wrapping attempt. */
const UNIQUE_ELEMENTS = ['AuthnRequest', 'Issuer', 'Signature', 'SignedInfo', 'NameIDPolicy', 'Conditions', 'RequestedAuthnContext', 'Scoping', 'Subject'] as const;

/**
 * Checks an AuthnRequest strictly. The document must be well-formed XML without a DTD, hold exactly
 * one AuthnRequest (its root, SAML 2.0 protocol namespace) and at most one of each element that
 * matters, and come from a known SP (Issuer). A signed request (an enveloped XML signature on
 * HTTP-POST, the query-string signature on HTTP-Redirect; RSA-SHA256 only) must verify with one of
 * the SP's metadata certificates, and is then read from what was signed alone; an unsigned one is
 * refused when the SP's metadata says AuthnRequestsSigned. Then: Version 2.0, an xs:ID, a fresh
 * IssueInstant, Destination exactly the SSO URL, the ACS by exact URL or index among the SP's
 * HTTP-POST services (never both), ProtocolBinding HTTP-POST when given, a NameIDPolicy format the
 * gateway can answer. Replay (the same ID twice) is the caller's check, after this one.
 */
export function verifyAuthnRequest(arrived: ArrivedRequest, context: VerifyContext): { request: VerifiedRequest } | { refused: RequestRefusal } {
  const parsed = parseSamlXml(arrived.xml);
  if ('refused' in parsed) return { refused: parsed.refused };
  const document = parsed.document;
  for (const name of UNIQUE_ELEMENTS) if (countElements(document, name) > 1) return { refused: 'duplicate-elements' };
  const root = document.documentElement;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'AuthnRequest') return { refused: 'not-authn-request' };
  const issuers = listChildren(root, NS.assertion, 'Issuer');
  const claimed = issuers[0] === undefined ? undefined : context.providers.get(readText(issuers[0]));
  if (claimed === undefined) return { refused: 'unknown-sp' };

  // The signature first: everything after it is read from what was signed.
  const signatures = listChildren(root, NS.dsig, 'Signature');
  if (countElements(document, 'Signature') !== signatures.length) return { refused: 'signature-placement' };
  let trusted: Element = root;
  let signed = false;
  if (arrived.binding === 'redirect') {
    if (signatures.length > 0) return { refused: 'signature-placement' };
    if (arrived.querySignature !== undefined) {
      if (arrived.querySignature.sigAlg !== RSA_SHA256) return { refused: 'signature-algorithm' };
      const signature = Buffer.from(arrived.querySignature.signature, 'base64');
      const data = Buffer.from(arrived.querySignature.signedText, 'utf8');
      if (!claimed.signingKeys.some((key) => verifySignature('RSA-SHA256', data, key, signature))) return { refused: 'signature-invalid' };
      signed = true;
    }
  } else if (signatures[0] !== undefined) {
    const checked = checkEnvelopedSignature(arrived.xml, signatures[0], root, claimed);
    if ('refused' in checked) return checked;
    trusted = checked.element;
    signed = true;
  }
  if (!signed && claimed.authnRequestsSigned) return { refused: 'signature-missing' };

  // From here on, only the trusted element (the signed one, when signed).
  const issuer = listChildren(trusted, NS.assertion, 'Issuer')[0];
  if (issuer === undefined || readText(issuer) !== claimed.entityId) return { refused: 'unknown-sp' };
  const issuerFormat = readAttribute(issuer, 'Format');
  if (issuerFormat !== undefined && issuerFormat !== NAMEID_FORMAT.entity) return { refused: 'unknown-sp' };
  if (readAttribute(trusted, 'Version') !== '2.0') return { refused: 'version' };
  const id = readAttribute(trusted, 'ID') ?? '';
  if (!XS_ID.test(id)) return { refused: 'id' };
  const instantText = readAttribute(trusted, 'IssueInstant') ?? '';
  const instant = INSTANT.test(instantText) ? Date.parse(instantText) : Number.NaN;
  if (Number.isNaN(instant)) return { refused: 'issue-instant' };
  const nowMs = context.now.getTime();
  if (instant < nowMs - context.maxAgeSeconds * 1000 || instant > nowMs + FUTURE_SKEW_SECONDS * 1000) return { refused: 'stale' };
  if (readAttribute(trusted, 'Destination') !== context.ssoUrl) return { refused: 'destination' };
  const protocolBinding = readAttribute(trusted, 'ProtocolBinding');
  if (protocolBinding !== undefined && protocolBinding !== BINDING.post) return { refused: 'protocol-binding' };
  const acs = chooseAcs(claimed, readAttribute(trusted, 'AssertionConsumerServiceURL'), readAttribute(trusted, 'AssertionConsumerServiceIndex'));
  if (acs === undefined) return { refused: 'acs' };
  const policy = listChildren(trusted, NS.protocol, 'NameIDPolicy')[0];
  const format = policy === undefined ? undefined : readAttribute(policy, 'Format');
  if (format !== undefined && !ACCEPTED_NAMEID_FORMATS.has(format)) return { refused: 'nameid-policy' };
  return { request: { provider: claimed, id, acs: acs.service, acsPosition: acs.position, isPassive: trusted.getAttribute('IsPassive') === 'true', signed } };
}

/** The ACS a request names (exactly, by URL or by index, never both), or the SP's default; HTTP-POST only. */
function chooseAcs(provider: ServiceProvider, url: string | undefined, indexText: string | undefined): { service: AssertionConsumerService; position: number } | undefined {
  if (url !== undefined && indexText !== undefined) return undefined;
  const post = (service: AssertionConsumerService): boolean => service.binding === BINDING.post;
  let position: number;
  if (url !== undefined) position = provider.acs.findIndex((service) => post(service) && service.location === url);
  else if (indexText !== undefined) position = /^\d{1,5}$/.test(indexText) ? provider.acs.findIndex((service) => post(service) && service.index === Number(indexText)) : -1;
  else position = provider.defaultAcs === undefined ? -1 : provider.acs.indexOf(provider.defaultAcs);
  const service = provider.acs[position];
  return service === undefined ? undefined : { service, position };
}

/**
 * Verifies the enveloped signature of an HTTP-POST request with the SP's certificates (never a key
 * the document carries): RSA-SHA256, one reference, to the root's own ID, with the enveloped and
 * exclusive canonicalization transforms only. Returns the signed element, parsed again from the
 * canonical XML xml-crypto verified.
 */
function checkEnvelopedSignature(xml: string, signature: Element, root: Element, provider: ServiceProvider): { element: Element } | { refused: RequestRefusal } {
  const signedInfo = listChildren(signature, NS.dsig, 'SignedInfo')[0];
  const method = signedInfo === undefined ? undefined : listChildren(signedInfo, NS.dsig, 'SignatureMethod')[0];
  if (method?.getAttribute('Algorithm') !== RSA_SHA256) return { refused: 'signature-algorithm' };
  const references = signedInfo === undefined ? [] : listChildren(signedInfo, NS.dsig, 'Reference');
  const reference = references[0];
  if (references.length !== 1 || reference === undefined) return { refused: 'signature-invalid' };
  const rootId = root.getAttribute('ID') ?? '';
  if (rootId === '' || readAttribute(reference, 'URI') !== `#${rootId}`) return { refused: 'signature-invalid' };
  const digest = listChildren(reference, NS.dsig, 'DigestMethod')[0];
  if (digest?.getAttribute('Algorithm') !== SHA256) return { refused: 'signature-algorithm' };
  const transforms = listChildren(reference, NS.dsig, 'Transforms').flatMap((t) => listChildren(t, NS.dsig, 'Transform')).map((t) => t.getAttribute('Algorithm'));
  if (!transforms.every((algorithm) => algorithm === ENVELOPED_SIGNATURE || algorithm === EXCLUSIVE_C14N)) return { refused: 'signature-invalid' };
  for (const certificate of provider.signingCertificates) {
    const verifier = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
    try {
      verifier.loadSignature(signature);
      if (!verifier.checkSignature(xml)) continue;
    } catch {
      continue;
    }
    const signedXml = verifier.getSignedReferences();
    if (signedXml.length !== 1 || signedXml[0] === undefined) return { refused: 'signature-invalid' };
    const reparsed = parseSamlXml(signedXml[0]);
    if ('refused' in reparsed) return { refused: 'signature-invalid' };
    const element = reparsed.document.documentElement;
    if (element.namespaceURI !== NS.protocol || element.localName !== 'AuthnRequest' || element.getAttribute('ID') !== rootId) return { refused: 'signature-invalid' };
    return { element };
  }
  return { refused: 'signature-invalid' };
}
