import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Problem } from '../lib/problem.ts';
import type { Settings } from './load-settings.ts';
import { readSecret } from './read-secret.ts';

/** The SAML identity provider's settings with its key and certificate read and checked. */
export interface SamlIdpSetup {
  /** The IdP's entity id: {publicUrl}/saml/metadata. */
  readonly entityId: string;
  /** {publicUrl}/saml/sso. */
  readonly ssoUrl: string;
  readonly scope: string;
  /** The RSA private key, imported once. */
  readonly privateKey: KeyObject;
  /** The certificate's DER in base64 (what metadata and KeyInfo carry). */
  readonly certificateBase64: string;
  readonly affiliations: Readonly<Record<string, string>>;
  readonly requestMaxAgeSeconds: number;
  readonly assertionLifetimeSeconds: number;
  readonly maxRememberedRequests: number;
}

/** The embedded demo's committed IdP certificate (config/demo-only-saml-idp.*) has a common name starting with this. */
export const DEMO_ONLY_PREFIX = 'demo-only-';
const MIN_RSA_BITS = 2048;
const KEY_COMMAND = 'openssl req -x509 -newkey rsa:3072 -nodes -days 1095 -subj "/CN=<your library> SAML IdP" -keyout saml-idp.key -out saml-idp.crt';

/**
 * Reads and checks settings.saml: an RSA private key of 2048 bits or more, an X.509 certificate of
 * that very key, not the demo's certificate outside demo mode (or in production). Problems name the
 * setting, never a value.
 */
export async function resolveSamlIdp(settings: Settings, env: Readonly<Record<string, string | undefined>>, options: { readonly production: boolean }): Promise<{ setup?: SamlIdpSetup; problems: Problem[] }> {
  const saml = settings.saml;
  const problems: Problem[] = [];
  if (saml === undefined) return { problems };
  const file = settings.file;
  const push = (path: string, message: string, fix: string): void => void problems.push({ file, path, message, fix });

  const keyText = await readSecret(saml.signingKey, { env, settingsFile: file });
  const certText = await readSecret(saml.certificate, { env, settingsFile: file });
  let privateKey: KeyObject | undefined;
  let certificate: X509Certificate | undefined;
  if ('error' in keyText) push('saml.signingKey', keyText.error, 'set it, or point the setting at the right variable or file');
  else {
    try {
      privateKey = createPrivateKey(keyText.value);
    } catch {
      push('saml.signingKey', 'is not a PEM private key', `give a "-----BEGIN PRIVATE KEY-----" RSA key; make one with ${KEY_COMMAND}`);
    }
    if (privateKey !== undefined && privateKey.asymmetricKeyType !== 'rsa') {
      push('saml.signingKey', `is a ${privateKey.asymmetricKeyType} key; SAML service providers verify RSA-SHA256`, `give an RSA key; make one with ${KEY_COMMAND}`);
      privateKey = undefined;
    } else if (privateKey !== undefined && (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
      push('saml.signingKey', `is an RSA key of ${privateKey.asymmetricKeyDetails?.modulusLength} bits, fewer than ${MIN_RSA_BITS}`, `give a key of ${MIN_RSA_BITS} bits or more; make one with ${KEY_COMMAND}`);
      privateKey = undefined;
    }
  }
  if ('error' in certText) push('saml.certificate', certText.error, 'set it, or point the setting at the right variable or file');
  else {
    try {
      certificate = new X509Certificate(certText.value);
    } catch {
      push('saml.certificate', 'is not a PEM X.509 certificate', `give the "-----BEGIN CERTIFICATE-----" file of the signing key; make both with ${KEY_COMMAND}`);
    }
  }
  if (certificate !== undefined && isDemoCertificate(certificate) && (!settings.demo || options.production)) {
    push('saml.certificate', 'is the demo\'s certificate (its subject starts with "demo-only-"), whose key is committed to the repository, and demo mode is off', `give the library's own key and certificate from the environment or a secret file; make them with ${KEY_COMMAND}`);
    certificate = undefined;
  }
  if (privateKey !== undefined && certificate !== undefined) {
    const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    const fromCert = certificate.publicKey.export({ type: 'spki', format: 'der' });
    if (!fromKey.equals(fromCert)) {
      push('saml.certificate', 'is not the certificate of saml.signingKey', 'give the certificate made with that very key');
      certificate = undefined;
    }
  }
  if (privateKey === undefined || certificate === undefined || problems.length > 0) return { problems };
  const publicUrl = settings.publicUrl.replace(/\/$/, '');
  return {
    problems,
    setup: Object.freeze({
      entityId: `${publicUrl}/saml/metadata`,
      ssoUrl: `${publicUrl}/saml/sso`,
      scope: saml.scope,
      privateKey,
      certificateBase64: certificate.raw.toString('base64'),
      affiliations: Object.freeze({ ...saml.affiliations }),
      requestMaxAgeSeconds: saml.requestMaxAgeSeconds,
      assertionLifetimeSeconds: saml.assertionLifetimeSeconds,
      maxRememberedRequests: saml.maxRememberedRequests,
    }),
  };
}

/** Whether a certificate is marked as the demo's: a common name starting with "demo-only-". */
function isDemoCertificate(certificate: X509Certificate): boolean {
  return certificate.subject.split('\n').some((part) => part.startsWith(`CN=${DEMO_ONLY_PREFIX}`));
}
