import { escapeXml } from './escape-xml.ts';
import { BINDING, NAMEID_FORMAT, NS } from './saml-names.ts';

/**
 * The gateway's IdP metadata (`/saml/metadata`): its entity id, the signing certificate, the
 * NameID formats it issues, and the SSO service for both request bindings. WantAuthnRequestsSigned
 * is false: each SP's own metadata (AuthnRequestsSigned) decides whether its requests must be signed.
 */
export function renderIdpMetadata(idp: { readonly entityId: string; readonly ssoUrl: string; readonly certificateBase64: string; readonly scope: string }): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0" entityID="${escapeXml(idp.entityId)}">` +
    `<md:IDPSSODescriptor protocolSupportEnumeration="${NS.protocol}" WantAuthnRequestsSigned="false">` +
    `<md:Extensions><shibmd:Scope regexp="false">${escapeXml(idp.scope)}</shibmd:Scope></md:Extensions>` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${idp.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:NameIDFormat>${NAMEID_FORMAT.transient}</md:NameIDFormat>` +
    `<md:NameIDFormat>${NAMEID_FORMAT.persistent}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${BINDING.redirect}" Location="${escapeXml(idp.ssoUrl)}"/>` +
    `<md:SingleSignOnService Binding="${BINDING.post}" Location="${escapeXml(idp.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>\n`
  );
}
