import { verifyChecksum } from './checksum.ts';
import { decodeBytes, type Sip2Encoding } from './encoding.ts';
import { type RawField, splitVariableFields } from './fields.ts';
import type { MessageSpec, VariableFieldSpec } from './message-spec.ts';
import { parsePatronStatus } from './patron-status.ts';
import type { Sip2Sequence } from './sequence.ts';
import { isSupportedCode, MESSAGE_SPECS, type Sip2Message } from './sip2-message.ts';

export interface ParseOptions {
  /** The peer's encoding (default UTF-8, which reads ASCII as is). */
  readonly encoding?: Sip2Encoding;
  /** Accept a message whose checksum is wrong (lenient mode); by default it is refused. */
  readonly acceptBadChecksum?: boolean;
}

/** What the error-detection trailer said. */
export type ChecksumState = 'valid' | 'invalid' | 'absent';

export interface ParsedMessage {
  readonly ok: true;
  readonly message: Sip2Message;
  /** The AY digit, when the message carried one. */
  readonly sequence: Sip2Sequence | undefined;
  readonly checksum: ChecksumState;
  /** Required fields that were absent (read as empty), by ID. */
  readonly missing: ReadonlyArray<string>;
}

export type ParseFailureReason =
  /** The checksum does not verify: answer 96 (or 97 on the client side). */
  | 'bad_checksum'
  /** A well-formed code the codec does not handle (circulation, fees, holds...): `code` says which. */
  | 'unsupported_message'
  /** Too short for its fixed part, a count that is not a number, no code. */
  | 'malformed';

export interface ParseFailure {
  readonly ok: false;
  readonly reason: ParseFailureReason;
  /** The 2-character code, when there was one. */
  readonly code: string | undefined;
  /** For logs: field names and lengths only, never values. */
  readonly detail: string;
}

export type ParseOutcome = ParsedMessage | ParseFailure;

/**
 * The trailer at the very end: `AY<digit>AZ<4 hex>`, or `AZ<4 hex>` (97, 96). Anything after it
 * (a stray `|`) makes it part of the variable part instead, so that a value can never be misread
 * as a trailer.
 */
const TRAILER = /(?:AY(\d))?AZ([0-9A-Fa-f]{4})$/;
const CODE = /^\d\d$/;
const COUNT = /^(\d{4}| {4})$/;

/** The field table of each spec, by ID (built once). */
const VARIABLE_BY_ID = new Map<MessageSpec, ReadonlyMap<string, VariableFieldSpec>>(
  Object.values(MESSAGE_SPECS).map((spec) => [spec, new Map(spec.variable.map((variable) => [variable.id, variable]))]),
);

function fail(reason: ParseFailureReason, code: string | undefined, detail: string): ParseFailure {
  return { ok: false, reason, code, detail };
}

/**
 * One framed message (without its terminator) as a typed message. Lenient where real peers
 * differ (field order, empty values, a missing final `|`, lowercase checksum hex, a message
 * without trailer); strict where a wrong reading would matter (checksums, counts, lengths).
 */
export function parseSip2Message(bytes: Uint8Array, options: ParseOptions = {}): ParseOutcome {
  const text = decodeBytes(bytes, options.encoding ?? 'utf-8');
  const code = text.slice(0, 2);
  if (!CODE.test(code)) return fail('malformed', undefined, 'no 2-digit message code');
  const trailer = TRAILER.exec(text);
  let body = text;
  let sequence: Sip2Sequence | undefined;
  let checksum: ChecksumState = 'absent';
  if (trailer !== null && trailer.index >= 2) {
    body = text.slice(0, trailer.index);
    const hex = trailer[2] as string;
    const end = bytes.length - 4;
    checksum = verifyChecksum(bytes.subarray(0, end), hex) ? 'valid' : 'invalid';
    if (checksum === 'invalid' && options.acceptBadChecksum !== true) return fail('bad_checksum', code, 'checksum does not verify');
    if (trailer[1] !== undefined) sequence = Number(trailer[1]) as Sip2Sequence;
  }
  if (!isSupportedCode(code)) return fail('unsupported_message', code, `message ${code} is not supported`);
  const spec = MESSAGE_SPECS[code];
  const message: Record<string, unknown> = { code };
  let offset = 2;
  for (const fixed of spec.fixed) {
    const value = body.slice(offset, offset + fixed.length);
    if (value.length < fixed.length) return fail('malformed', code, `fixed field ${fixed.name} is cut short`);
    offset += fixed.length;
    if (fixed.kind === 'text') message[fixed.name] = value;
    else if (fixed.kind === 'yes-no') message[fixed.name] = value === 'Y';
    else if (fixed.kind === 'one-zero') message[fixed.name] = value === '1';
    else if (fixed.kind === 'patron-status') message[fixed.name] = parsePatronStatus(value);
    else {
      if (!COUNT.test(value)) return fail('malformed', code, `count ${fixed.name} is not 4 digits or 4 blanks`);
      message[fixed.name] = value === '    ' ? undefined : Number(value);
    }
  }
  const { missing, unknown } = readVariableFields(spec, body.slice(offset), message);
  message['unknown'] = unknown;
  return { ok: true, message: message as unknown as Sip2Message, sequence, checksum, missing };
}

/** Reads the variable part into `message`; returns what was missing and what was not understood. */
function readVariableFields(spec: MessageSpec, variablePart: string, message: Record<string, unknown>): { missing: string[]; unknown: RawField[] } {
  const byId = VARIABLE_BY_ID.get(spec) as ReadonlyMap<string, VariableFieldSpec>;
  const unknown: RawField[] = [];
  for (const variable of spec.variable) if (variable.kind === 'list') message[variable.name] = [];
  for (const [id, value] of splitVariableFields(variablePart)) {
    const variable = byId.get(id);
    if (variable === undefined) unknown.push([id, value]);
    else if (variable.kind === 'list') (message[variable.name] as string[]).push(value);
    else if (Object.hasOwn(message, variable.name)) unknown.push([id, value]);
    else if (variable.kind === 'text') message[variable.name] = value;
    else if (value === 'Y' || value === 'N') message[variable.name] = value === 'Y';
    else unknown.push([id, value]);
  }
  const missing: string[] = [];
  for (const variable of spec.variable) {
    if (variable.required === true && !Object.hasOwn(message, variable.name)) {
      missing.push(variable.id);
      message[variable.name] = '';
    }
  }
  return { missing, unknown };
}
