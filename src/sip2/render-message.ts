import { computeChecksum } from './checksum.ts';
import { encodeText, type Sip2Encoding } from './encoding.ts';
import { renderField } from './fields.ts';
import { type PatronStatus, renderPatronStatus } from './patron-status.ts';
import { isSequence, type Sip2Sequence } from './sequence.ts';
import { Sip2FormatError } from './sip2-format-error.ts';
import { MESSAGE_SPECS, type Sip2Message } from './sip2-message.ts';

export interface RenderOptions {
  /** The peer's encoding (default UTF-8). The checksum is computed over these bytes. */
  readonly encoding?: Sip2Encoding;
  /** Append AY (unless 97/96) and AZ. */
  readonly errorDetection?: boolean;
  /** The AY digit: required with error detection (a response echoes the request's). */
  readonly sequence?: Sip2Sequence | undefined;
}

const LINE_BREAK = /[\r\n]/;

/** The text of a message up to its trailer: code, fixed part, variable fields in spec order. */
export function renderSip2Body(message: Sip2Message): string {
  const spec = MESSAGE_SPECS[message.code];
  const fields = message as unknown as Readonly<Record<string, unknown>>;
  let text: string = message.code;
  for (const fixed of spec.fixed) {
    const value = fields[fixed.name];
    let rendered: string;
    if (fixed.kind === 'yes-no') rendered = value === true ? 'Y' : 'N';
    else if (fixed.kind === 'one-zero') rendered = value === true ? '1' : '0';
    else if (fixed.kind === 'patron-status') rendered = renderPatronStatus(value as PatronStatus);
    else if (fixed.kind === 'count') rendered = renderCount(fixed.name, value);
    else rendered = String(value);
    if (rendered.length !== fixed.length || LINE_BREAK.test(rendered)) {
      throw new Sip2FormatError(`message ${message.code}: fixed field ${fixed.name} must be ${fixed.length} characters on one line`);
    }
    text += rendered;
  }
  for (const variable of spec.variable) {
    const value = fields[variable.name];
    if (variable.kind === 'list') for (const item of (value as ReadonlyArray<string> | undefined) ?? []) text += renderField(variable.id, item);
    else if (variable.kind === 'yes-no') {
      if (value !== undefined) text += renderField(variable.id, value === true ? 'Y' : 'N');
    } else if (value !== undefined) text += renderField(variable.id, value as string);
    else if (variable.required === true) text += renderField(variable.id, '');
  }
  return text;
}

function renderCount(name: string, value: unknown): string {
  if (value === undefined) return '    ';
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 9999) {
    throw new Sip2FormatError(`count ${name} must be an integer from 0 to 9999`);
  }
  return String(value).padStart(4, '0');
}

/**
 * The wire bytes of a message, ending with CR. Only the fields its type defines are written,
 * in spec order; `unknown` is never read.
 */
export function renderSip2Message(message: Sip2Message, options: RenderOptions = {}): Uint8Array {
  let text = renderSip2Body(message);
  if (options.errorDetection === true) {
    if (MESSAGE_SPECS[message.code].sequenced) {
      const sequence = options.sequence;
      if (sequence === undefined || !isSequence(sequence)) throw new Sip2FormatError(`message ${message.code}: error detection needs a sequence digit`);
      text += `AY${sequence}`;
    }
    text += 'AZ';
  }
  const body = encodeText(text, options.encoding ?? 'utf-8');
  const trailer = options.errorDetection === true ? `${computeChecksum(body)}\r` : '\r';
  const wire = new Uint8Array(body.length + trailer.length);
  wire.set(body, 0);
  for (let index = 0; index < trailer.length; index++) wire[body.length + index] = trailer.charCodeAt(index);
  return wire;
}
