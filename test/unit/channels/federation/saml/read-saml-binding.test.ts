import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPostBinding, readRedirectBinding } from '../../../../../src/channels/federation/saml/read-saml-binding.ts';

/** The two request bindings decoded, with the exact signed text of HTTP-Redirect kept as sent. */
const XML = '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a"/>';
const deflated = encodeURIComponent(deflateRawSync(Buffer.from(XML)).toString('base64'));

describe('HTTP-Redirect', () => {
  it('inflates SAMLRequest and keeps the signed text in the binding\'s order, whatever the URL\'s order', () => {
    const read = readRedirectBinding(`Signature=c2ln&SigAlg=alg%3Ax&RelayState=r%20s&SAMLRequest=${deflated}`);
    expect(read).toEqual({ arrived: { binding: 'redirect', xml: XML, querySignature: { sigAlg: 'alg:x', signature: 'c2ln', signedText: `SAMLRequest=${deflated}&RelayState=r%20s&SigAlg=alg%3Ax` } }, relayState: 'r s' });
  });

  it('without RelayState or signature', () => {
    expect(readRedirectBinding(`SAMLRequest=${deflated}`)).toEqual({ arrived: { binding: 'redirect', xml: XML } });
  });

  it.each([
    ['no SAMLRequest', 'RelayState=x', 'missing-request'],
    ['an empty SAMLRequest', 'SAMLRequest=', 'missing-request'],
    ['a parameter twice', `SAMLRequest=${deflated}&SAMLRequest=${deflated}`, 'encoding'],
    ['SAMLRequest that is not base64', 'SAMLRequest=%25%25', 'encoding'],
    ['bad percent-encoding', 'SAMLRequest=%E0%A4%A', 'encoding'],
    ['base64 that is not deflate', `SAMLRequest=${encodeURIComponent(Buffer.from(XML).toString('base64'))}`, 'encoding'],
    ['a deflated document over 64 KiB', `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.alloc(65 * 1024, 32)).toString('base64'))}`, 'too-large'],
    ['a query over 96 KiB', `SAMLRequest=${'A'.repeat(97 * 1024)}`, 'too-large'],
    ['a RelayState over 80 bytes', `SAMLRequest=${deflated}&RelayState=${'r'.repeat(81)}`, 'relay-state'],
    ['a RelayState with a control character', `SAMLRequest=${deflated}&RelayState=a%0Ab`, 'relay-state'],
    ['SigAlg without Signature', `SAMLRequest=${deflated}&SigAlg=x`, 'signature-missing'],
    ['Signature without SigAlg', `SAMLRequest=${deflated}&Signature=c2ln`, 'signature-missing'],
    ['a Signature that is not base64', `SAMLRequest=${deflated}&SigAlg=x&Signature=%25`, 'encoding'],
  ])('refuses %s', (_name, query, refused) => {
    expect(readRedirectBinding(query)).toEqual({ refused });
  });

  it('empty pairs are skipped, and a query of exactly 96 KiB is read', () => {
    expect(readRedirectBinding(`&&SAMLRequest=${deflated}&&`)).toEqual({ arrived: { binding: 'redirect', xml: XML } });
    const head = `SAMLRequest=${deflated}&pad=`;
    expect(readRedirectBinding(`${head}${'p'.repeat(96 * 1024 - head.length)}`)).toEqual({ arrived: { binding: 'redirect', xml: XML } });
  });

  it.each([
    ['a Signature without "=" (an empty signature)', `SAMLRequest=${deflated}&SigAlg=x&Signature`, 'encoding'],
    ['a Signature without "=" and no SigAlg', `SAMLRequest=${deflated}&Signature`, 'signature-missing'],
  ])('reads %s as empty, and refuses it', (_name, query, refused) => {
    expect(readRedirectBinding(query)).toEqual({ refused });
  });

  it('a RelayState of exactly 80 bytes is kept', () => {
    expect(readRedirectBinding(`SAMLRequest=${deflated}&RelayState=${'r'.repeat(80)}`)).toHaveProperty('relayState', 'r'.repeat(80));
  });
});

describe('HTTP-POST', () => {
  const encoded = Buffer.from(XML).toString('base64');
  it('decodes SAMLRequest (line breaks allowed) and keeps RelayState', () => {
    expect(readPostBinding({ SAMLRequest: `${encoded.slice(0, 10)}\r\n${encoded.slice(10)}`, RelayState: 'rs' })).toEqual({ arrived: { binding: 'post', xml: XML }, relayState: 'rs' });
  });

  it('inflates a deflated SAMLRequest', () => {
    expect(readPostBinding({ SAMLRequest: deflateRawSync(Buffer.from(XML)).toString('base64') })).toEqual({ arrived: { binding: 'post', xml: XML } });
  });

  it.each([
    ['no SAMLRequest', {}, 'missing-request'],
    ['SAMLRequest twice (a list)', { SAMLRequest: [encoded, encoded] }, 'encoding'],
    ['not base64', { SAMLRequest: '%%' }, 'encoding'],
    ['over 96 KiB', { SAMLRequest: 'A'.repeat(97 * 1024) }, 'too-large'],
    ['neither XML nor deflate', { SAMLRequest: Buffer.from('hello').toString('base64') }, 'encoding'],
    ['a deflate bomb', { SAMLRequest: deflateRawSync(Buffer.alloc(65 * 1024, 32)).toString('base64') }, 'too-large'],
    ['a RelayState list', { SAMLRequest: encoded, RelayState: ['a', 'b'] }, 'relay-state'],
    ['a RelayState over 80 bytes', { SAMLRequest: encoded, RelayState: 'é'.repeat(41) }, 'relay-state'],
  ])('refuses %s', (_name, form, refused) => {
    expect(readPostBinding(form)).toEqual({ refused });
  });
});
