import type { KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { ENVELOPED_SIGNATURE, EXCLUSIVE_C14N, RSA_SHA256, SHA256 } from './saml-names.ts';

/** The IdP's signing material: the private key (imported once: a PEM would be parsed at every signature) and the certificate's DER in base64. */
export interface SamlSigningKey {
  readonly privateKey: KeyObject;
  readonly certificateBase64: string;
}

/**
 * Signs one element of a SAML document with an enveloped XML signature (RSA-SHA256, SHA-256
 * digest, exclusive canonicalization), placed right after that element's Issuer as the schema
 * wants, with the IdP certificate in KeyInfo. `localName` names the element (Assertion or
 * Response), which the document holds once.
 */
export function signSamlElement(xml: string, localName: 'Assertion' | 'Response', key: SamlSigningKey): string {
  const signer = new SignedXml({
    privateKey: key.privateKey,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXCLUSIVE_C14N,
    getKeyInfoContent: () => `<ds:X509Data><ds:X509Certificate>${key.certificateBase64}</ds:X509Certificate></ds:X509Data>`,
  });
  const element = `//*[local-name(.)='${localName}' and namespace-uri(.)='urn:oasis:names:tc:SAML:2.0:${localName === 'Assertion' ? 'assertion' : 'protocol'}']`;
  signer.addReference({ xpath: element, transforms: [ENVELOPED_SIGNATURE, EXCLUSIVE_C14N], digestAlgorithm: SHA256 });
  signer.computeSignature(xml, { prefix: 'ds', location: { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}
