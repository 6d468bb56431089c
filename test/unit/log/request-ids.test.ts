import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRequestIds } from '../../../src/log/request-ids.ts';

/** The parts of a request and a response the request ids read and write. */
function exchange(remoteAddress: string, header?: string | string[]) {
  const req = { socket: { remoteAddress }, headers: header === undefined ? {} : { 'x-request-id': header } } as unknown as IncomingMessage;
  const sent: Record<string, unknown> = {};
  const res = { setHeader: (name: string, value: unknown) => (sent[name.toLowerCase()] = value) } as unknown as ServerResponse;
  return { req, res, sent };
}

let counter = 0;
const ids = createRequestIds({ trustProxy: ['10.0.0.0/8', '2001:db8::/32'], generate: () => `generated-${++counter}` });

describe('request ids', () => {
  it.each([
    ['a UUID from a trusted proxy is kept', '10.1.2.3', '0f8fad5b-d9cb-469f-a165-7a867b28c50e', true],
    ['an upper-case UUID from a trusted proxy is kept', '10.1.2.3', '0F8FAD5B-D9CB-469F-A165-7A867B28C50E', true],
    ['32 hex digits from a trusted proxy are kept', '10.1.2.3', '3b1f0c9e7a5d4e2f8a6b0c1d2e3f4a5b', true],
    ['a trusted IPv6 proxy (IPv4-mapped addresses and v6 ranges alike)', '2001:db8::7', '3b1f0c9e7a5d4e2f8a6b0c1d2e3f4a5b', true],
    ['an IPv4-mapped address of a trusted proxy', '::ffff:10.1.2.3', '3b1f0c9e7a5d4e2f8a6b0c1d2e3f4a5b', true],
    ['a safe id from an untrusted client is replaced', '192.168.1.9', '0f8fad5b-d9cb-469f-a165-7a867b28c50e', false],
    ['a card number is replaced', '10.1.2.3', '29000000000001', false],
    ['hex hiding ten digits in a row is replaced', '10.1.2.3', 'abcdef2900000000000100aa', false],
    ['nine digits in a row are still hex', '10.1.2.3', 'abcdef290000000aa0100aa', true],
    ['15 hex digits (too short) are replaced', '10.1.2.3', 'abcdefabcdefabc', false],
    ['65 hex digits (too long) are replaced', '10.1.2.3', 'a'.repeat(65), false],
    ['a name is replaced', '10.1.2.3', 'Quillonna-Vantablackwood', false],
    ['a URL is replaced', '10.1.2.3', 'https://evil.example/abcdefabcdefabcdef', false],
    ['a header line break is replaced', '10.1.2.3', 'abcdefabcdefabcdef\r\nx', false],
    ['a repeated header is replaced', '10.1.2.3', ['abcdefabcdefabcdef', 'abcdefabcdefabcdef'], false],
  ])('%s', (_name, peer, header, kept) => {
    const { req, res, sent } = exchange(peer, header);
    const id = ids.assign(req, res);
    if (kept) expect(id).toBe(header);
    else expect(id).toMatch(/^generated-\d+$/);
    expect(sent['x-request-id']).toBe(id);
    expect(ids.of(req)).toBe(id);
  });

  it('without a header every request gets a fresh id, and a request never seen has none', () => {
    const first = exchange('10.1.2.3');
    const second = exchange('10.1.2.3');
    expect(ids.assign(first.req, first.res)).not.toBe(ids.assign(second.req, second.res));
    expect(ids.of(exchange('10.1.2.3').req)).toBeUndefined();
  });

  it('by default the generated ids are random UUIDs', () => {
    const { req, res } = exchange('192.168.1.9');
    expect(createRequestIds({ trustProxy: [] }).assign(req, res)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
