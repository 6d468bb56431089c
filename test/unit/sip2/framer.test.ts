import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createSip2Framer, DEFAULT_MAX_MESSAGE_BYTES } from '../../../src/sip2/framer.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const texts = (messages: ReadonlyArray<Uint8Array>): string[] => messages.map((message) => Buffer.from(message).toString('latin1'));

/** Feeds the chunks in order and collects every message. */
function frame(chunks: ReadonlyArray<string>, maxMessageBytes?: number): { messages: string[]; overflow: boolean } {
  const framer = createSip2Framer(maxMessageBytes === undefined ? {} : { maxMessageBytes });
  const messages: string[] = [];
  let overflow = false;
  for (const chunk of chunks) {
    const result = framer.push(bytes(chunk));
    messages.push(...texts(result.messages));
    overflow = result.overflow;
  }
  return { messages, overflow };
}

describe('the SIP2 stream framer (reference sections 1 and 8.5)', () => {
  it.each([
    ['CR ends a message', ['941\r'], ['941']],
    ['CR LF ends a message once (Cen-Tec kiosks)', ['941\r\n990 402.00\r\n'], ['941', '990 402.00']],
    ['a lone LF ends a message', ['941\n990 402.00\n'], ['941', '990 402.00']],
    ['a stray LF at the start of the next read is dropped (SIPServer)', ['941\r', '\n990 402.00\r'], ['941', '990 402.00']],
    ['two messages in one read', ['941\r990 402.00\r'], ['941', '990 402.00']],
    ['one message split over three reads', ['23001202401', '01    120000AOUWOLS|', 'AAdjfiander|\r'], ['2300120240101    120000AOUWOLS|AAdjfiander|']],
    ['CR and LF split across reads count once', ['941\r', '\n', '96AZFEF6\r'], ['941', '96AZFEF6']],
    ['empty lines are skipped', ['\r\r\n\n941\r'], ['941']],
    ['an unfinished message is held, not emitted', ['941'], []],
    ['a blank line between messages is not a message', ['941\r\n\r\n99\r'], ['941', '99']],
  ])('%s', (_name, chunks, expected) => {
    expect(frame(chunks).messages).toEqual(expected);
  });

  it('holds an unfinished message until its terminator arrives', () => {
    const framer = createSip2Framer();
    expect(framer.push(bytes('9900')).messages).toEqual([]);
    expect(framer.pendingBytes()).toBe(4);
    expect(texts(framer.push(bytes('302.00\r')).messages)).toEqual(['9900302.00']);
    expect(framer.pendingBytes()).toBe(0);
  });

  it.each([
    ['a message one byte over the cap, in one read', ['x'.repeat(11) + '\r'], 10],
    ['a message over the cap, unfinished (a peer that never sends CR)', ['x'.repeat(11)], 10],
    ['a message over the cap, grown over several reads', ['x'.repeat(6), 'x'.repeat(6)], 10],
  ])('refuses %s: overflow, and nothing more is framed (the connection must close)', (_name, chunks, cap) => {
    const framer = createSip2Framer({ maxMessageBytes: cap });
    let last = { messages: [] as ReadonlyArray<Uint8Array>, overflow: false };
    for (const chunk of chunks) last = framer.push(bytes(chunk));
    expect(last.overflow).toBe(true);
    expect(framer.push(bytes('941\r'))).toEqual({ messages: [], overflow: true });
    expect(framer.pendingBytes()).toBe(0);
  });

  it('accepts a message of exactly the cap, and the default cap is generous but bounded', () => {
    expect(frame(['x'.repeat(10) + '\r'], 10)).toEqual({ messages: ['x'.repeat(10)], overflow: false });
    expect(DEFAULT_MAX_MESSAGE_BYTES).toBeGreaterThanOrEqual(4096);
    expect(frame(['x'.repeat(DEFAULT_MAX_MESSAGE_BYTES + 1)]).overflow).toBe(true);
  });

  it('copies what it holds: the caller may reuse its read buffer', () => {
    const framer = createSip2Framer();
    const buffer = Buffer.from('9900');
    framer.push(buffer);
    buffer.fill(0x41);
    expect(texts(framer.push(bytes('302.00\r')).messages)).toEqual(['9900302.00']);
  });

  const message = fc.stringMatching(/^[ -~]{1,40}$/);
  const terminator = fc.constantFrom('\r', '\r\n', '\n');
  test.prop([fc.array(fc.tuple(message, terminator), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 })])(
    'any split of any stream of messages into reads gives back the same messages',
    (pairs, cuts) => {
      const stream = pairs.map(([text, end]) => text + end).join('');
      const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
      const chunks: string[] = [];
      let start = 0;
      for (const point of points) {
        chunks.push(stream.slice(start, point));
        start = point;
      }
      chunks.push(stream.slice(start));
      expect(frame(chunks).messages).toEqual(pairs.map(([text]) => text));
    },
  );
});
