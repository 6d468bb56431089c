import { describe, expect, it } from 'vitest';
import { parseSpMetadata } from '../../../../../src/channels/federation/saml/parse-sp-metadata.ts';
import { createRsaCertificate, renderSpMetadata } from '../../../../helpers/saml-sp.ts';

/** SP metadata is read strictly at startup: every problem with its element, nothing half-read. */
const certificate = createRsaCertificate('metadata sp');
const base = { entityId: 'https://sp.example/sp', acsUrl: 'https://sp.example/acs', signRequests: true };
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

function parse(text: string): { provider: ReturnType<typeof parseSpMetadata>; problems: string[] } {
  const problems: string[] = [];
  const provider = parseSpMetadata('v', text, (path, message, fix) => {
    // Every problem says how to fix it.
    expect(fix.length).toBeGreaterThan(10);
    problems.push(`${path}: ${message}`);
  });
  return { provider, problems };
}

describe('reading SP metadata', () => {
  it('reads the entity id, the ACS list, AuthnRequestsSigned and the signing certificate', () => {
    const extra = `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact" Location="https://sp.example/art" index="2"/><md:AssertionConsumerService Binding="${POST}" Location="http://127.0.0.1:6031/acs" index="3"/>`;
    const { provider, problems } = parse(renderSpMetadata({ ...base, extraAcs: extra }, certificate));
    expect(problems).toEqual([]);
    expect(provider).toMatchObject({ vendorId: 'v', entityId: base.entityId, authnRequestsSigned: true });
    expect(provider?.acs).toEqual([
      { binding: POST, location: base.acsUrl, index: 1, isDefault: true },
      { binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact', location: 'https://sp.example/art', index: 2, isDefault: false },
      { binding: POST, location: 'http://127.0.0.1:6031/acs', index: 3, isDefault: false },
    ]);
    expect(provider?.defaultAcs?.location).toBe(base.acsUrl);
    expect(provider?.signingKeys).toHaveLength(1);
    expect(provider?.signingCertificates[0]).toContain('BEGIN CERTIFICATE');
  });

  it('without isDefault, the first HTTP-POST ACS is the default; an encryption key is not a signing key', () => {
    const text = renderSpMetadata({ ...base, signRequests: false }, certificate).replace(' isDefault="true"', '').replace('use="signing"', 'use="encryption"');
    const { provider } = parse(text);
    expect(provider?.defaultAcs?.location).toBe(base.acsUrl);
    expect(provider?.signingKeys).toHaveLength(0);
  });

  const good = renderSpMetadata(base, certificate);
  it.each([
    ['a DOCTYPE', `<!DOCTYPE x>${good.replace('<?xml version="1.0"?>', '')}`, ': holds a DOCTYPE or entity declaration'],
    ['a document over 256 KiB', good.replace('<md:SPSSODescriptor', `<!--${'x'.repeat(257 * 1024)}--><md:SPSSODescriptor`), ': is larger than 256 KiB'],
    ['broken XML', good.replace('</md:EntityDescriptor>', ''), ': is not well-formed XML'],
    ['another root', good.replace(/EntityDescriptor/g, 'EntitiesDescriptor'), ': is not SAML metadata'],
    ['no entity id', good.replace(/entityID="[^"]+"/, ''), 'EntityDescriptor@entityID: is missing or not a URI'],
    ['no SPSSODescriptor', good.replace(/SPSSODescriptor/g, 'IDPSSODescriptor'), 'SPSSODescriptor: there are 0 SPSSODescriptor elements'],
    ['no SAML 2.0 support', good.replace('urn:oasis:names:tc:SAML:2.0:protocol"', 'urn:oasis:names:tc:SAML:1.1:protocol"'), 'SPSSODescriptor@protocolSupportEnumeration: does not list SAML 2.0'],
    ['a relative ACS', good.replace(base.acsUrl, '/acs'), 'AssertionConsumerService[0]@Location: is not a URL'],
    ['a plain-http ACS off loopback', good.replace(base.acsUrl, 'http://sp.example/acs'), 'AssertionConsumerService[0]@Location: is not https'],
    ['an index that is not a number', good.replace('index="1"', 'index="one"'), 'AssertionConsumerService[0]@index: is not a number'],
    ['no HTTP-POST ACS', good.replace('bindings:HTTP-POST', 'bindings:HTTP-Artifact'), 'AssertionConsumerService: no AssertionConsumerService has the HTTP-POST binding'],
    ['a certificate that cannot be read', good.replace(certificate.certBase64, 'AAAA'), 'KeyDescriptor[0]: holds an X509Certificate that cannot be read'],
    ['signed requests without a certificate', good.replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, ''), 'SPSSODescriptor@AuthnRequestsSigned: the SP signs its requests, but its metadata has no signing certificate'],
  ])('refuses %s', (_name, text, expected) => {
    const { provider, problems } = parse(text);
    expect(provider).toBeUndefined();
    expect(problems.some((problem) => problem.startsWith(expected))).toBe(true);
  });

  it.each(['http://127.0.0.1:6031/acs', 'http://localhost:6031/acs', 'http://[::1]:6031/acs', 'https://sp.example/acs'])('accepts the ACS %s (https, or http on loopback only)', (location) => {
    expect(parse(good.replace(base.acsUrl, location)).provider?.acs[0]?.location).toBe(location);
  });

  it.each(['http://127.0.0.2/acs', 'http://sp.example/acs', 'ftp://sp.example/acs'])('refuses the ACS %s', (location) => {
    expect(parse(good.replace(base.acsUrl, location)).problems).toContain('AssertionConsumerService[0]@Location: is not https (assertions would travel in clear)');
  });

  it('refuses an index used twice', () => {
    const { problems } = parse(renderSpMetadata({ ...base, extraAcs: `<md:AssertionConsumerService Binding="${POST}" Location="https://sp.example/b" index="1"/>` }, certificate));
    expect(problems).toContain('AssertionConsumerService[1]@index: index 1 is used twice');
  });
});
