import { randomBytes } from 'node:crypto';
import busboy from 'busboy';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { PatronGuard } from '../../../policy/guard/patron-guard.ts';
import { isPlainText } from './body-charset.ts';
import { classifyBody, isListedType, type BodyKind } from './body-kind.ts';
import { scanText, type ScannedBody } from './scan-text.ts';

/** One part of a multipart/form-data body, as busboy read it. */
interface FormPart {
  name: string;
  /** Present for file parts (even when empty). */
  filename?: string;
  /** The part's media type (file parts only are sent with one). */
  type: string;
  data: Buffer;
  /** Field values: the text busboy decoded (in the part's charset). */
  text?: string;
}

/** Scans the bytes of one part of a readable kind (json, form, text) as the stage scans a body of that kind. */
export type ScanPart = (kind: 'json' | 'form' | 'text', data: Buffer) => ScannedBody;

/** Content transfer encodings under which the bytes are the value (base64 or quoted-printable would hide it). */
const PLAIN_ENCODINGS: ReadonlySet<string> = new Set(['7bit', '8bit', 'binary']);

/**
 * A multipart/form-data body (every `new FormData()` post): each part's name, file name and field
 * value is checked, and so is the content of file parts of a kind the guard reads (text, JSON,
 * XML, urlencoded; a part without a type is text/plain, RFC 7578), which must be plain UTF-8.
 * Non-empty file parts of any other type are refused unless the contract's `request.bodyTypes` names that type (then they
 * pass unread). What leaves is always rebuilt from
 * what was checked, under a fresh boundary: parts without a form-data disposition, extra part
 * headers, the preamble and the epilogue do not travel, nor do parts named in `dropNames` (the
 * identity fields of a vendor with form delivery: a patron cannot post their own).
 */
export async function scanMultipart(
  body: Buffer,
  contentType: string,
  guard: PatronGuard,
  options: { listed: ReadonlyArray<string> | undefined; scanPart: ScanPart; dropNames?: ReadonlySet<string> | undefined },
): Promise<ScannedBody> {
  const { listed, scanPart, dropNames } = options;
  const parts = (await parseMultipart(body, contentType)).filter((part) => !dropNames?.has(part.name));
  let found = 0;
  const clean = (text: string): string => {
    const scanned = scanText(text, guard);
    found += scanned.found;
    return scanned.text;
  };
  for (const part of parts) {
    part.name = clean(part.name);
    if (part.filename !== undefined) part.filename = clean(part.filename);
    if (part.text !== undefined) {
      part.data = Buffer.from(clean(part.text));
      continue;
    }
    const kind: BodyKind = classifyBody(part.type);
    if (kind === 'json' || kind === 'form' || kind === 'text') {
      // Text the guard cannot read as it is (UTF-16, EBCDIC...) would hide what it holds.
      if (!isPlainText(part.data)) throw new GatewayError('unsupported_body');
      const scanned = scanPart(kind, part.data);
      found += scanned.found;
      part.data = scanned.body;
    } else if (part.data.length > 0 && !(listed && isListedType(listed, part.type))) {
      // Binary: refused unless listed. An empty file part, as a form's unused file input sends,
      // holds nothing to refuse.
      throw new GatewayError('unsupported_body');
    }
  }
  const boundary = chooseBoundary(parts);
  return { body: buildMultipart(parts, boundary), found, type: `multipart/form-data; boundary=${boundary}` };
}

/** Reads every part of a complete multipart body; a malformed one is a bad request. */
function parseMultipart(body: Buffer, contentType: string): Promise<FormPart[]> {
  return new Promise((resolve, reject) => {
    const parts: FormPart[] = [];
    let openFiles = 0;
    let closed = false;
    let failed = false;
    const fail = (code: 'bad_request' | 'unsupported_body'): void => {
      if (failed) return;
      failed = true;
      reject(new GatewayError(code));
    };
    const settle = (): void => {
      if (closed && openFiles === 0 && !failed) resolve(parts);
    };
    let parser: busboy.Busboy;
    try {
      // Limits at the body's size: nothing the parser reads is ever cut short.
      const size = body.length + 1;
      parser = busboy({ headers: { 'content-type': contentType }, preservePath: true, defParamCharset: 'utf8', limits: { fieldNameSize: size, fieldSize: size } });
    } catch {
      fail('bad_request');
      return;
    }
    parser.on('field', (name, value, info) => {
      if (!PLAIN_ENCODINGS.has(info.encoding)) return fail('unsupported_body');
      parts.push({ name, type: info.mimeType, data: Buffer.alloc(0), text: value });
    });
    parser.on('file', (name, stream, info) => {
      if (!PLAIN_ENCODINGS.has(info.encoding)) {
        stream.resume();
        return fail('unsupported_body');
      }
      const part: FormPart = { name, filename: info.filename ?? '', type: info.mimeType, data: Buffer.alloc(0) };
      parts.push(part);
      const chunks: Buffer[] = [];
      openFiles += 1;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        part.data = Buffer.concat(chunks);
        openFiles -= 1;
        settle();
      });
    });
    parser.on('error', () => fail('bad_request'));
    parser.on('close', () => {
      closed = true;
      settle();
    });
    parser.end(body);
  });
}

/** A boundary found in no part (random, and checked). */
function chooseBoundary(parts: ReadonlyArray<FormPart>): string {
  for (;;) {
    const boundary = `gateway-${randomBytes(16).toString('hex')}`;
    if (!parts.some((part) => part.data.includes(boundary) || part.name.includes(boundary) || (part.filename ?? '').includes(boundary))) return boundary;
  }
}

/** Quotes a name or file name as browsers do in a form-data disposition (", CR and LF percent-encoded). */
function quoteParameter(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function buildMultipart(parts: ReadonlyArray<FormPart>, boundary: string): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoteParameter(part.name)}"`;
    if (part.filename !== undefined) head += `; filename="${quoteParameter(part.filename)}"\r\nContent-Type: ${part.type}`;
    pieces.push(Buffer.from(`${head}\r\n\r\n`), part.data, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}
