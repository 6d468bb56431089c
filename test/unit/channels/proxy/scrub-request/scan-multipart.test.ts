import { describe, expect, it } from 'vitest';
import { scanMultipart, type ScanPart } from '../../../../../src/channels/proxy/scrub-request/scan-multipart.ts';
import { scanText } from '../../../../../src/channels/proxy/scrub-request/scan-text.ts';
import { GatewayError } from '../../../../../src/errors/gateway-error.ts';
import { createPatronGuard } from '../../../../../src/policy/guard/patron-guard.ts';

const CARD = '27311000864209';
const guard = createPatronGuard({ patronId: 'p-1', barcode: CARD });
/** Parts of a readable kind are scanned as text here; the stage passes its own per-kind scan. */
const scanPart: ScanPart = (_kind, data) => {
  const scanned = scanText(data.toString('utf8'), guard);
  return { body: scanned.found > 0 ? Buffer.from(scanned.text) : data, found: scanned.found };
};

const TYPE = 'multipart/form-data; boundary=XyZ';
/** A multipart body from parts, each `[headers, content]`. */
const multipart = (...parts: Array<[string, string | Buffer]>): Buffer =>
  Buffer.concat([...parts.flatMap(([headers, content]) => [Buffer.from(`--XyZ\r\n${headers}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]), Buffer.from('--XyZ--\r\n')]);
const field = (name: string, value: string): [string, string] => [`Content-Disposition: form-data; name="${name}"`, value];
const file = (name: string, filename: string, type: string | undefined, content: string | Buffer): [string, string | Buffer] => [
  `Content-Disposition: form-data; name="${name}"; filename="${filename}"${type === undefined ? '' : `\r\nContent-Type: ${type}`}`,
  content,
];

async function scan(body: Buffer, listed?: ReadonlyArray<string>) {
  const result = await scanMultipart(body, TYPE, guard, { listed, scanPart });
  const boundary = /boundary=(.+)$/.exec(result.type ?? '')?.[1] ?? '';
  return { ...result, text: result.body.toString('latin1').replaceAll(boundary, 'B') };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof GatewayError ? error.code : String(error);
  }
}

describe('scanMultipart', () => {
  it('a clean body is rebuilt with the same fields and files, under a fresh boundary', async () => {
    const result = await scan(multipart(field('q', 'dune'), file('f', 'a.txt', 'text/plain', 'hello')));
    expect(result.found).toBe(0);
    expect(result.type).toMatch(/^multipart\/form-data; boundary=gateway-[0-9a-f]{32}$/);
    expect(result.text).toBe('--B\r\nContent-Disposition: form-data; name="q"\r\n\r\ndune\r\n--B\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B--\r\n');
  });

  it.each([
    ['a field value', multipart(field('q', `card ${CARD}`)), 'name="q"\r\n\r\ncard [redacted]\r\n'],
    ['a field name', multipart(field(CARD, 'x')), 'name="[redacted]"\r\n\r\nx\r\n'],
    ['a file name', multipart(file('f', `${CARD}.txt`, 'text/plain', 'x')), 'filename="[redacted].txt"'],
    ['a text file', multipart(file('f', 'a.txt', 'text/plain', `n ${CARD}`)), '\r\n\r\nn [redacted]\r\n'],
    ['a JSON file (scanned by its kind)', multipart(file('f', 'a.json', 'application/json', `{"c":"${CARD}"}`)), '{"c":"[redacted]"}'],
    ['a field percent-encoded twice (the second decoding pass)', multipart(field('q', CARD.replace(/./g, (d) => `%25${(48 + Number(d)).toString(16)}`))), '\r\n\r\n[redacted]\r\n'],
  ])('the card in %s is found and redacted', async (_name, body, expected) => {
    const result = await scan(body);
    expect(result.found).toBe(1);
    expect(result.text).toContain(expected);
    expect(result.text).not.toContain(CARD);
  });

  it.each([
    ['a binary file part of a type the contract does not list', multipart(file('f', 'a.png', 'image/png', Buffer.from([0x89, 0x50]))), undefined, 'unsupported_body'],
    ['a file part with no type is text/plain (RFC 7578), scanned as text', multipart(file('f', 'a.bin', undefined, 'x')), undefined, 'ok'],
    ['an empty file part of any type (an empty file input) holds nothing to refuse', multipart(file('f', '', 'application/octet-stream', '')), undefined, 'ok'],
    ['a file part with no type when the contract lists none', multipart(file('f', 'a.bin', 'application/octet-stream', 'x')), [] as string[], 'unsupported_body'],
    ['a binary file part of a listed type', multipart(file('f', 'a.png', 'image/png', 'x')), ['image/png'], 'ok'],
    ['a binary file part under a listed wildcard', multipart(file('f', 'a.png', 'image/png', 'x')), ['image/*'], 'ok'],
    ['a base64-encoded field', multipart(['Content-Disposition: form-data; name="q"\r\nContent-Transfer-Encoding: base64', 'MjczMQ==']), undefined, 'unsupported_body'],
    ['a quoted-printable file', multipart([`Content-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable`, '=32']), undefined, 'unsupported_body'],
    ['8bit and binary encodings are plain', multipart(['Content-Disposition: form-data; name="q"\r\nContent-Transfer-Encoding: 8bit', 'x'], [`Content-Disposition: form-data; name="f"; filename="a.txt"\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary`, 'y']), undefined, 'ok'],
    ['a text file in UTF-16 (the guard would not see its characters)', multipart(file('f', 'a.txt', 'text/plain', Buffer.from(CARD, 'utf16le'))), ['text/plain'], 'unsupported_body'],
    ['a JSON file that is not valid UTF-8', multipart(file('f', 'a.json', 'application/json', Buffer.from([0x7b, 0xf0, 0x7d]))), undefined, 'unsupported_body'],
    ['a body cut short', Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="q"\r\n\r\nx'), undefined, 'bad_request'],
  ])('%s', async (_name, body, listed, expected) => {
    expect(await codeOf(scanMultipart(body, TYPE, guard, { listed, scanPart }))).toBe(expected);
  });

  it('parts named in dropNames do not travel (identity fields a patron may not post)', async () => {
    const result = await scanMultipart(multipart(field('sub', 'forged'), field('q', 'dune'), field('ageBand', '0-5')), TYPE, guard, { listed: undefined, scanPart, dropNames: new Set(['sub', 'ageBand']) });
    expect(result.body.toString()).not.toContain('forged');
    expect(result.body.toString()).toContain('name="q"\r\n\r\ndune');
    expect(result.body.toString()).not.toContain('0-5');
  });

  it('an urlencoded file part is scanned as a form', async () => {
    const result = await scan(multipart(file('f', 'a.txt', 'application/x-www-form-urlencoded', `card=${CARD}&x=1`)));
    expect(result.found).toBe(1);
    expect(result.text).toContain('card=[redacted]&x=1');
  });

  it('every part arrives, whatever the order of files and fields (the parse waits for the last file)', async () => {
    const result = await scan(multipart(file('a', 'a.txt', 'text/plain', 'one'), file('b', 'b.txt', 'text/plain', 'two'), field('c', 'three')));
    expect(result.text).toBe(
      '--B\r\nContent-Disposition: form-data; name="a"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\none\r\n' +
        '--B\r\nContent-Disposition: form-data; name="b"; filename="b.txt"\r\nContent-Type: text/plain\r\n\r\ntwo\r\n' +
        '--B\r\nContent-Disposition: form-data; name="c"\r\n\r\nthree\r\n--B--\r\n',
    );
  });

  it('long field names and values are kept whole (the parser\'s own limits would cut them)', async () => {
    const name = 'n'.repeat(300);
    const result = await scan(multipart(field(name, 'v')));
    expect(result.text).toContain(`name="${name}"`);
  });

  it('file names keep their folders and their UTF-8 (what the browser sent is what is checked and sent)', async () => {
    const result = await scan(multipart(file('f', 'docs/caf\u00e9.txt', 'text/plain', 'x')));
    expect(result.body.toString('utf8')).toContain('filename="docs/caf\u00e9.txt"');
  });

  it('a multipart type without a boundary is a bad request', async () => {
    expect(await codeOf(scanMultipart(Buffer.from('x'), 'multipart/form-data', guard, { listed: undefined, scanPart }))).toBe('bad_request');
  });

  it('quotes, CR and LF in names are percent-encoded as browsers do (a name cannot add a header)', async () => {
    const body = Buffer.concat([Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="a\\"b"; filename*=utf-8\'\'x%0D%0AContent-Type%3A%20y\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--\r\n')]);
    const result = await scan(body);
    expect(result.text).toContain('name="a%22b"; filename="x%0D%0AContent-Type: y"\r\nContent-Type: text/plain\r\n');
  });

  it('a field in another charset arrives as UTF-8 of what was checked', async () => {
    const body = multipart(['Content-Disposition: form-data; name="q"\r\nContent-Type: text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9])]);
    expect((await scan(body)).text).toContain('\r\n\r\ncaf\u00c3\u00a9\r\n');
  });

  it('parts without a form-data disposition, extra part headers, preamble and epilogue do not travel', async () => {
    const body = Buffer.from(`pre ${CARD}\r\n--XyZ\r\nContent-Disposition: form-data; name="q"\r\nX-Extra: ${CARD}\r\n\r\nv\r\n--XyZ\r\nContent-Disposition: attachment; name="z"\r\n\r\n${CARD}\r\n--XyZ--\r\npost ${CARD}`);
    const result = await scan(body);
    expect(result.found).toBe(0);
    expect(result.text).toBe('--B\r\nContent-Disposition: form-data; name="q"\r\n\r\nv\r\n--B--\r\n');
  });

  it('an empty file input (no file name, octet-stream) stays an empty file for the vendor', async () => {
    const result = await scan(multipart(['Content-Disposition: form-data; name="f"; filename=""\r\nContent-Type: application/octet-stream', '']));
    expect(result.text).toBe('--B\r\nContent-Disposition: form-data; name="f"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--B--\r\n');
  });
});
