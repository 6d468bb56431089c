import { randomBytes } from 'node:crypto';
import { escapeXml } from './escape-xml.ts';
import type { SamlAttribute } from './map-saml-attributes.ts';
import { ATTRNAME_FORMAT, NAMEID_FORMAT, NS, PASSWORD_PROTECTED_TRANSPORT, STATUS } from './saml-names.ts';
import { signSamlElement, type SamlSigningKey } from './sign-saml-xml.ts';

/** Whom the response answers, and where it goes. */
export interface ResponseAddress {
  /** The IdP's entity id. */
  readonly issuer: string;
  /** The SP's entity id (Audience, SPNameQualifier). */
  readonly audience: string;
  /** The ACS URL (Destination, Recipient). */
  readonly destination: string;
  /** The AuthnRequest's ID. */
  readonly inResponseTo: string;
  readonly now: Date;
}

/** A successful sign-in: the subject and the attributes. */
export interface Assertion {
  /** transient: a fresh random id; persistent: the pairwise id. */
  readonly nameId: { readonly format: 'transient' | 'persistent'; readonly value: string };
  readonly attributes: ReadonlyArray<SamlAttribute>;
  readonly lifetimeSeconds: number;
  /** When the patron signed in to the gateway. */
  readonly authnInstant: Date;
}

/** A fresh xs:ID with 128 random bits. */
export function createSamlId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

function instant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The unsigned XML of a Response with one Assertion: the NameID (format transient or persistent,
 * qualified by both entity ids), a bearer SubjectConfirmation bound to the request, the ACS and its
 * lifetime, an AudienceRestriction to the SP, the AuthnStatement and the attributes (omitted when
 * there are none). Every value is escaped.
 */
export function renderSuccessResponse(address: ResponseAddress, assertion: Assertion): string {
  const now = instant(address.now);
  const until = instant(new Date(address.now.getTime() + assertion.lifetimeSeconds * 1000));
  const issuer = escapeXml(address.issuer);
  const audience = escapeXml(address.audience);
  const destination = escapeXml(address.destination);
  const inResponseTo = escapeXml(address.inResponseTo);
  const attributes = assertion.attributes
    .map(
      (attribute) =>
        `<saml:Attribute Name="${escapeXml(attribute.name)}"${attribute.friendlyName !== undefined ? ` FriendlyName="${escapeXml(attribute.friendlyName)}"` : ''} NameFormat="${ATTRNAME_FORMAT[attribute.nameFormat]}">${attribute.values
          .map((value) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    )
    .join('');
  return (
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${createSamlId()}" Version="2.0" IssueInstant="${now}" Destination="${destination}" InResponseTo="${inResponseTo}">` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${STATUS.success}"/></samlp:Status>` +
    `<saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${createSamlId()}" Version="2.0" IssueInstant="${now}">` +
    `<saml:Issuer>${issuer}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${NAMEID_FORMAT[assertion.nameId.format]}" NameQualifier="${issuer}" SPNameQualifier="${audience}">${escapeXml(assertion.nameId.value)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${destination}" InResponseTo="${inResponseTo}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${now}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${instant(assertion.authnInstant)}" SessionIndex="${createSamlId()}"><saml:AuthnContext><saml:AuthnContextClassRef>${PASSWORD_PROTECTED_TRANSPORT}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes === '' ? '' : `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`) +
    `</saml:Assertion></samlp:Response>`
  );
}

/** The unsigned XML of a Response without an assertion: Responder, with a second-level status (RequestDenied, NoPassive). */
export function renderErrorResponse(address: ResponseAddress, second: 'requestDenied' | 'noPassive'): string {
  return (
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${createSamlId()}" Version="2.0" IssueInstant="${instant(address.now)}" Destination="${escapeXml(address.destination)}" InResponseTo="${escapeXml(address.inResponseTo)}">` +
    `<saml:Issuer>${escapeXml(address.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${STATUS.responder}"><samlp:StatusCode Value="${STATUS[second]}"/></samlp:StatusCode></samlp:Status>` +
    `</samlp:Response>`
  );
}

/** Signs the assertion (when there is one), then the whole response. */
export function signSamlResponse(xml: string, key: SamlSigningKey): string {
  const withAssertion = xml.includes('<saml:Assertion ') ? signSamlElement(xml, 'Assertion', key) : xml;
  return signSamlElement(withAssertion, 'Response', key);
}
