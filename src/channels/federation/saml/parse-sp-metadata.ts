import { X509Certificate } from 'node:crypto';
import { listChildren, parseSamlXml, readAttribute, readText } from './parse-saml-xml.ts';
import { BINDING, NS } from './saml-names.ts';
import type { AssertionConsumerService, ServiceProvider } from './service-provider.ts';

type Push = (path: string, message: string, fix: string) => void;

const ENTITY_ID = /^[!-~]{1,1024}$/;

/**
 * Reads one SP's SAML metadata: an EntityDescriptor (the document's root) with one SPSSODescriptor
 * supporting SAML 2.0, its entityID, its AssertionConsumerService list (https or loopback http
 * locations; at least one HTTP-POST, the only binding responses go by), AuthnRequestsSigned and its
 * signing certificates. Every problem is pushed with a path inside the metadata.
 */
export function parseSpMetadata(vendorId: string, text: string, push: Push): ServiceProvider | undefined {
  let count = 0;
  const report: Push = (path, message, fix) => {
    count++;
    push(path, message, fix);
  };
  const parsed = parseSamlXml(text, 256 * 1024);
  if ('refused' in parsed) {
    report('', parsed.refused === 'dtd' ? 'holds a DOCTYPE or entity declaration, which SAML documents never need' : parsed.refused === 'too-large' ? 'is larger than 256 KiB' : 'is not well-formed XML', 'use the metadata file the vendor publishes, unchanged');
    return undefined;
  }
  const root = parsed.document.documentElement;
  if (root.namespaceURI !== NS.metadata || root.localName !== 'EntityDescriptor') {
    report('', 'is not SAML metadata (its root is not an md:EntityDescriptor)', 'use the vendor\'s SP metadata: one EntityDescriptor with an SPSSODescriptor');
    return undefined;
  }
  const entityId = root.getAttribute('entityID') ?? '';
  if (!ENTITY_ID.test(entityId)) report('EntityDescriptor@entityID', 'is missing or not a URI', 'the vendor\'s metadata must name its entity id');
  const descriptors = listChildren(root, NS.metadata, 'SPSSODescriptor');
  if (descriptors.length !== 1) {
    report('SPSSODescriptor', `there are ${descriptors.length} SPSSODescriptor elements; exactly one is needed`, 'use metadata that describes one service provider');
    return undefined;
  }
  const sp = descriptors[0] as Element;
  if (!(sp.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol)) {
    report('SPSSODescriptor@protocolSupportEnumeration', 'does not list SAML 2.0', `the SP must support ${NS.protocol}`);
  }
  const acs: AssertionConsumerService[] = [];
  const indexes = new Set<number>();
  listChildren(sp, NS.metadata, 'AssertionConsumerService').forEach((element, position) => {
    const path = `AssertionConsumerService[${position}]`;
    const location = element.getAttribute('Location') ?? '';
    const binding = element.getAttribute('Binding') ?? '';
    const indexText = readAttribute(element, 'index');
    let url: URL | undefined;
    try {
      url = new URL(location);
    } catch {
      report(`${path}@Location`, 'is not a URL', 'the vendor\'s metadata must give absolute ACS URLs');
      return;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'))) {
      report(`${path}@Location`, 'is not https (assertions would travel in clear)', 'ask the vendor for its https ACS URL');
      return;
    }
    const index = indexText === undefined ? undefined : /^\d{1,5}$/.test(indexText) ? Number(indexText) : Number.NaN;
    if (index !== undefined && Number.isNaN(index)) report(`${path}@index`, 'is not a number', 'the index must be a non-negative integer');
    else if (index !== undefined && indexes.has(index)) report(`${path}@index`, `index ${index} is used twice`, 'every ACS needs its own index');
    if (index !== undefined) indexes.add(index);
    acs.push(Object.freeze({ binding, location, ...(index !== undefined && !Number.isNaN(index) ? { index } : {}), isDefault: element.getAttribute('isDefault') === 'true' }));
  });
  const postAcs = acs.filter((service) => service.binding === BINDING.post);
  if (postAcs.length === 0) report('AssertionConsumerService', 'no AssertionConsumerService has the HTTP-POST binding, the only one the gateway answers with', `the SP needs an ACS with Binding="${BINDING.post}"`);
  const certificates: X509Certificate[] = [];
  listChildren(sp, NS.metadata, 'KeyDescriptor').forEach((descriptor, position) => {
    const use = readAttribute(descriptor, 'use');
    if (use !== undefined && use !== 'signing') return;
    const texts = listChildren(descriptor, NS.dsig, 'KeyInfo').flatMap((info) => listChildren(info, NS.dsig, 'X509Data')).flatMap((data) => listChildren(data, NS.dsig, 'X509Certificate'));
    for (const certificateElement of texts) {
      try {
        certificates.push(new X509Certificate(Buffer.from(readText(certificateElement).replace(/\s+/g, ''), 'base64')));
      } catch {
        report(`KeyDescriptor[${position}]`, 'holds an X509Certificate that cannot be read', 'use the metadata file the vendor publishes, unchanged');
      }
    }
  });
  const authnRequestsSigned = sp.getAttribute('AuthnRequestsSigned') === 'true';
  if (authnRequestsSigned && certificates.length === 0) report('SPSSODescriptor@AuthnRequestsSigned', 'the SP signs its requests, but its metadata has no signing certificate', 'use metadata with the SP\'s signing KeyDescriptor');
  if (count > 0) return undefined;
  return Object.freeze({
    vendorId,
    entityId,
    authnRequestsSigned,
    acs: Object.freeze(acs),
    defaultAcs: postAcs.find((service) => service.isDefault) ?? postAcs[0],
    signingKeys: Object.freeze(certificates.map((certificate) => certificate.publicKey)),
    signingCertificates: Object.freeze(certificates.map((certificate) => certificate.toString())),
  });
}
