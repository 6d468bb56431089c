/**
 * An independent SAML service provider for the tests, built on @node-saml/node-saml (not the
 * gateway's code): its RSA key and certificate made with the openssl CLI per run, its metadata
 * file, and a node-saml instance that sends AuthnRequests and validates the gateway's Responses.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAML, ValidateInResponseTo, type SamlConfig } from '@node-saml/node-saml';

export interface RsaCertificate {
  readonly key: string;
  readonly cert: string;
  /** The certificate's DER in base64 (metadata form). */
  readonly certBase64: string;
}

/** A fresh RSA-2048 key and self-signed certificate (`openssl req -x509`). */
export function createRsaCertificate(commonName: string): RsaCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'saml-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', `/CN=${commonName}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert, certBase64: cert.replace(/-----[^-]+-----|\s+/g, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestSpOptions {
  readonly entityId: string;
  readonly acsUrl: string;
  /** Sign AuthnRequests (and say so in the metadata). */
  readonly signRequests: boolean;
  /** The SP's signing key; default a fresh one. */
  readonly certificate?: RsaCertificate;
  /** More ACS elements, as XML, for the metadata. */
  readonly extraAcs?: string;
}

/** The SP's metadata file text. */
export function renderSpMetadata(options: TestSpOptions, certificate: RsaCertificate): string {
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${options.entityId}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="${options.signRequests}" WantAssertionsSigned="true">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate.certBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${options.acsUrl}" index="1" isDefault="true"/>${options.extraAcs ?? ''}
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}

/** A node-saml SP talking to the gateway at `gatewayUrl`, trusting `idpCertBase64`. */
export function createNodeSamlSp(options: TestSpOptions & { readonly gatewayUrl: string; readonly idpCertBase64: string; readonly binding?: 'HTTP-Redirect' | 'HTTP-POST'; readonly overrides?: Partial<SamlConfig> }): { saml: SAML; certificate: RsaCertificate } {
  const certificate = options.certificate ?? createRsaCertificate('test-sp');
  const saml = new SAML({
    entryPoint: `${options.gatewayUrl}/saml/sso`,
    issuer: options.entityId,
    callbackUrl: options.acsUrl,
    idpCert: options.idpCertBase64,
    idpIssuer: `${options.gatewayUrl}/saml/metadata`,
    audience: options.entityId,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: ValidateInResponseTo.always,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    authnRequestBinding: options.binding ?? 'HTTP-Redirect',
    ...(options.signRequests ? { privateKey: certificate.key } : {}),
    ...options.overrides,
  });
  return { saml, certificate };
}
