/**
 * Cuts a TCP byte stream into SIP2 messages (reference section 1): a message ends with CR, CR LF
 * or a lone LF; a stray LF at the start of the next message is dropped; one read may hold several
 * messages or part of one. A message longer than `maxMessageBytes` without a terminator is an
 * overflow: the framer stops, and the connection should be closed.
 */

const CR = 0x0d;
const LF = 0x0a;

/** The default cap on one message (the spec caps each value at 255 characters; a 64 has ~30 fields). */
export const DEFAULT_MAX_MESSAGE_BYTES = 16_384;

export interface Sip2FramerOptions {
  readonly maxMessageBytes?: number;
}

export interface FramedChunk {
  /** Complete messages, without their terminators; empty lines are skipped. */
  readonly messages: ReadonlyArray<Uint8Array>;
  /** True once a message grew past the cap: nothing more is framed after it. */
  readonly overflow: boolean;
}

export interface Sip2Framer {
  /** Feeds one read; returns the messages it completed. */
  push(chunk: Uint8Array): FramedChunk;
  /** Bytes held for an unfinished message. */
  pendingBytes(): number;
}

/** A framer for one connection. */
export function createSip2Framer(options: Sip2FramerOptions = {}): Sip2Framer {
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let pending: Uint8Array = new Uint8Array(0);
  let overflow = false;
  let afterCr = false;

  return {
    pendingBytes: () => pending.length,
    push(chunk: Uint8Array): FramedChunk {
      if (overflow) return { messages: [], overflow };
      const messages: Uint8Array[] = [];
      let start = 0;
      for (let index = 0; index < chunk.length; index++) {
        const byte = chunk[index];
        if (byte !== CR && byte !== LF) {
          afterCr = false;
          continue;
        }
        const skipped = byte === LF && afterCr;
        afterCr = byte === CR;
        if (!skipped) {
          const body = join(pending, chunk.subarray(start, index));
          pending = new Uint8Array(0);
          if (body.length > maxMessageBytes) {
            overflow = true;
            return { messages, overflow };
          }
          if (body.length > 0) messages.push(body);
        }
        start = index + 1;
      }
      if (start < chunk.length) pending = join(pending, chunk.subarray(start));
      if (pending.length > maxMessageBytes) {
        overflow = true;
        pending = new Uint8Array(0);
      }
      return { messages, overflow };
    },
  };
}

/** `head` followed by `tail`, copied (the caller's read buffer may be reused). */
function join(head: Uint8Array, tail: Uint8Array): Uint8Array {
  const joined = new Uint8Array(head.length + tail.length);
  joined.set(head, 0);
  joined.set(tail, head.length);
  return joined;
}
