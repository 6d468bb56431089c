import { inflateRawSync } from 'node:zlib';
import { MAX_SAML_XML_CHARS } from './parse-saml-xml.ts';
import type { ArrivedRequest, RequestRefusal } from './verify-authn-request.ts';

/** RelayState is at most 80 bytes (SAML bindings 3.4.3 and 3.5.3). */
export const MAX_RELAY_STATE_BYTES = 80;
/** The longest query string or SAMLRequest field read, in characters (before decoding). */
export const MAX_ENCODED_CHARS = 96 * 1024;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** An AuthnRequest decoded from its binding, with the RelayState to send back. */
export interface ReadRequest {
  readonly arrived: ArrivedRequest;
  readonly relayState?: string;
}

/**
 * HTTP-Redirect (bindings 3.4): SAMLRequest base64 of the raw-deflated XML, RelayState, and for a
 * signed request SigAlg and Signature over the exact encoded text `SAMLRequest=..&RelayState=..&SigAlg=..`
 * (as sent, never re-encoded). Each parameter at most once; the inflated XML bounded.
 */
export function readRedirectBinding(rawQuery: string): ReadRequest | { refused: RequestRefusal } {
  if (rawQuery.length > MAX_ENCODED_CHARS) return { refused: 'too-large' };
  const raw = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (raw.has(name)) return { refused: 'encoding' };
    raw.set(name, equals < 0 ? '' : pair.slice(equals + 1));
  }
  const encodedRequest = raw.get('SAMLRequest');
  if (encodedRequest === undefined || encodedRequest === '') return { refused: 'missing-request' };
  const decode = (text: string | undefined): string | undefined => {
    if (text === undefined) return undefined;
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return '\u0000';
    }
  };
  const request = decode(encodedRequest) ?? '';
  const relayState = decode(raw.get('RelayState'));
  const sigAlg = decode(raw.get('SigAlg'));
  const signature = decode(raw.get('Signature'));
  if (!BASE64.test(request)) return { refused: 'encoding' };
  let xml: string;
  try {
    xml = inflateRawSync(Buffer.from(request, 'base64'), { maxOutputLength: MAX_SAML_XML_CHARS }).toString('utf8');
  } catch (error) {
    return { refused: (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'encoding' };
  }
  if (relayState !== undefined && !isRelayState(relayState)) return { refused: 'relay-state' };
  if ((sigAlg === undefined) !== (signature === undefined)) return { refused: 'signature-missing' };
  if (signature !== undefined && (sigAlg === '\u0000' || !BASE64.test(signature))) return { refused: 'encoding' };
  const querySignature =
    sigAlg !== undefined && signature !== undefined
      ? { sigAlg, signature, signedText: `SAMLRequest=${encodedRequest}${raw.has('RelayState') ? `&RelayState=${raw.get('RelayState')}` : ''}&SigAlg=${raw.get('SigAlg')}` }
      : undefined;
  return { arrived: { binding: 'redirect', xml, ...(querySignature ? { querySignature } : {}) }, ...(relayState !== undefined ? { relayState } : {}) };
}

/**
 * HTTP-POST (bindings 3.5): SAMLRequest base64 of the XML and RelayState, from a urlencoded form.
 * A deflated SAMLRequest (which the binding does not define, but node-saml and others send by
 * default) is inflated with the same bound as on HTTP-Redirect.
 */
export function readPostBinding(form: Readonly<Record<string, unknown>>): ReadRequest | { refused: RequestRefusal } {
  const request = form['SAMLRequest'];
  const relayState = form['RelayState'];
  if (typeof request !== 'string' || request === '') return { refused: request === undefined || request === '' ? 'missing-request' : 'encoding' };
  if (request.length > MAX_ENCODED_CHARS) return { refused: 'too-large' };
  const compact = request.replace(/[\r\n]/g, '');
  if (!BASE64.test(compact)) return { refused: 'encoding' };
  const bytes = Buffer.from(compact, 'base64');
  let xml: string;
  if (/^\s*</.test(bytes.subarray(0, 64).toString('latin1'))) xml = bytes.toString('utf8');
  else {
    // Not XML: a deflated request, as some SPs (node-saml by default) send on HTTP-POST too.
    try {
      xml = inflateRawSync(bytes, { maxOutputLength: MAX_SAML_XML_CHARS }).toString('utf8');
    } catch (error) {
      return { refused: (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : 'encoding' };
    }
  }
  if (relayState !== undefined && (typeof relayState !== 'string' || !isRelayState(relayState))) return { refused: 'relay-state' };
  return { arrived: { binding: 'post', xml }, ...(typeof relayState === 'string' ? { relayState } : {}) };
}

/** At most 80 bytes of printable text (it goes back to the SP in a form field, escaped). */
function isRelayState(text: string): boolean {
  return Buffer.byteLength(text, 'utf8') <= MAX_RELAY_STATE_BYTES && !/[\u0000-\u001f\u007f]/.test(text);
}
