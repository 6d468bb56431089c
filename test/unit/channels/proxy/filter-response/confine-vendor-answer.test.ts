import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { confineVendorAnswer } from '../../../../../src/channels/proxy/filter-response/confine-vendor-answer.ts';
import { createPatronTagger } from '../../../../../src/policy/pseudonyms/patron-tag.ts';

const tagger = createPatronTagger(Buffer.alloc(32, 9));
const GATEWAY_CSP = "default-src 'self'";
const ADA = tagger.tag('p-ada', 'books');

function confined(headers: IncomingHttpHeaders, patronId: string | undefined): IncomingHttpHeaders {
  const copy = { ...headers };
  confineVendorAnswer(copy, { tagger, vendorId: 'books', patronId }, GATEWAY_CSP);
  return copy;
}

describe('confineVendorAnswer (the steps shared by /v/ answers and browse-origin answers)', () => {
  const cases: Array<{ name: string; headers: IncomingHttpHeaders; patronId?: string | undefined; expected: IncomingHttpHeaders }> = [
    { name: 'nothing said: caching private, varying on cookies, and the gateway\'s CSP alone', headers: {}, expected: { 'cache-control': 'private', vary: 'Cookie', 'content-security-policy': GATEWAY_CSP } },
    { name: 'an ETag carries the patron\'s tag at this vendor, so the browser cache cannot replay it under another patron', headers: { etag: 'W/"v1"' }, expected: { etag: `W/"${ADA}.v1"` } },
    { name: 'an ETag with nobody signed in is dropped: it could carry an identifier to whoever signs in next', headers: { etag: '"v1"' }, patronId: undefined, expected: { etag: undefined } },
    { name: 'an ETag that is not an entity tag is dropped: it could not be checked on the way back', headers: { etag: 'v1' }, expected: { etag: undefined } },
    { name: 'public caching becomes private: no shared cache may keep a patron\'s page', headers: { 'cache-control': 'public, max-age=60' }, expected: { 'cache-control': 'private, max-age=60' } },
    { name: 'the vendor\'s Vary gains Cookie: a cached page is not reused across patrons', headers: { vary: 'Accept-Encoding' }, expected: { vary: 'Accept-Encoding, Cookie' } },
    { name: 'the vendor\'s CSP stays beside the gateway\'s (a browser enforces both), without its reporting', headers: { 'content-security-policy': "img-src 'self'; report-uri https://r.vendor.example" }, expected: { 'content-security-policy': `img-src 'self', ${GATEWAY_CSP}` } },
    { name: 'a vendor CSP of reporting only leaves the gateway\'s alone', headers: { 'content-security-policy': 'report-uri /r' }, expected: { 'content-security-policy': GATEWAY_CSP } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const headers = confined(c.headers, 'patronId' in c ? c.patronId : 'p-ada');
      for (const [name, value] of Object.entries(c.expected)) expect(headers[name], name).toBe(value);
      if ('etag' in c.expected && c.expected.etag === undefined) expect('etag' in headers).toBe(false);
    });
  }
});
