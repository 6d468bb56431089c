import type { Socket } from 'node:net';
import { createSip2Framer } from '../../sip2/framer.ts';
import { parseSip2Message } from '../../sip2/parse-message.ts';
import { renderSip2Message } from '../../sip2/render-message.ts';
import { createEndSessionHandler } from './handlers/end-session-handler.ts';
import { createLoginHandler } from './handlers/login-handler.ts';
import { createPatronLookupHandler } from './handlers/patron-lookup-handler.ts';
import { createRefuseHandler } from './handlers/refuse-handler.ts';
import { createResendHandler } from './handlers/resend-handler.ts';
import { createStatusHandler } from './handlers/status-handler.ts';
import type { Sip2Handler, Sip2Reply } from './sip2-handler.ts';
import type { Sip2MediatorDeps } from './sip2-mediator-deps.ts';
import type { VendorSession } from './vendor-session.ts';

/** A vendor connection idle this long is closed. */
const IDLE_MS = 10 * 60 * 1000;
/** Messages a connection may have waiting (SIP2 is one request at a time): more is a flood, and the connection closes. */
const MAX_PENDING = 16;

export interface Sip2Mediator {
  /** The handlers, in the order they are listed (the table of what the mediator does). */
  readonly handlers: ReadonlyArray<Sip2Handler>;
  /** Every handler's startup problems. */
  validate(): string[];
  /** Serves one vendor connection (plain TCP or TLS) until it closes. */
  serve(socket: Socket): void;
}

/**
 * The SIP2 privacy mediator (reference section 10): vendors' servers connect here instead of to
 * the ILS. Each connection is a session of its own: one message at a time, in order; the vendor
 * side and the ILS side never share bytes, sequence numbers or checksums. A message no handler
 * takes, or one that cannot be parsed, closes the connection; a bad checksum gets a 96.
 */
export function createSip2Mediator(deps: Sip2MediatorDeps): Sip2Mediator {
  let ilsOnline = true;
  const refuse = createRefuseHandler(deps);
  const handlers: Sip2Handler[] = [
    createLoginHandler(deps),
    createStatusHandler({ clock: deps.clock, ilsOnline: () => ilsOnline }),
    createResendHandler(),
    createPatronLookupHandler({ ...deps, onIls: (online) => void (ilsOnline = online) }),
    createEndSessionHandler(deps),
    refuse,
  ];
  const byCode = new Map<string, Sip2Handler>();
  for (const handler of handlers) for (const code of handler.codes) byCode.set(code, handler);

  async function handle(session: VendorSession, bytes: Uint8Array): Promise<Sip2Reply> {
    const parsed = parseSip2Message(bytes);
    if (!parsed.ok) {
      if (parsed.reason === 'bad_checksum') return { send: renderSip2Message({ code: '96' }, { errorDetection: true }) };
      if (parsed.reason === 'unsupported_message') return refuse.run(session, undefined as never);
      deps.metrics.countRequest(session.vendor?.id ?? '_unknown', 'bad_request', 'sip2');
      return { close: true };
    }
    const handler = byCode.get(parsed.message.code);
    if (handler === undefined) {
      deps.metrics.countRequest(session.vendor?.id ?? '_unknown', 'bad_request', 'sip2');
      return { close: true };
    }
    return handler.run(session, parsed);
  }

  return {
    handlers,
    validate: () => handlers.flatMap((handler) => handler.validate?.() ?? []),
    serve(socket) {
      const session: VendorSession = { remote: socket.remoteAddress ?? '', vendor: undefined, lastAnswer: undefined };
      const framer = createSip2Framer();
      let queue: Promise<void> = Promise.resolve();
      let pending = 0;
      let done = false;
      socket.setNoDelay(true);
      socket.setTimeout(IDLE_MS, () => socket.destroy());
      socket.on('error', () => socket.destroy());
      const stop = (): void => {
        done = true;
        socket.end();
      };
      socket.on('data', (chunk: Buffer) => {
        if (done) return;
        const framed = framer.push(chunk);
        pending += framed.messages.length;
        if (pending > MAX_PENDING) {
          deps.metrics.countRequest(session.vendor?.id ?? '_unknown', 'bad_request', 'sip2');
          done = true;
          socket.destroy();
          return;
        }
        for (const bytes of framed.messages) {
          queue = queue.then(async () => {
            pending--;
            if (done || socket.destroyed) return;
            let reply: Sip2Reply;
            try {
              reply = await handle(session, bytes);
            } catch {
              deps.logger.error('sip2 handler failed', { vendor: session.vendor?.id ?? '_unknown', code: 'internal' });
              deps.metrics.countRequest(session.vendor?.id ?? '_unknown', 'internal_error', 'sip2');
              reply = { close: true };
            }
            if (done || socket.destroyed) return;
            if (reply.send !== undefined) socket.write(reply.send);
            if (reply.close === true) stop();
          });
        }
        if (framed.overflow) queue = queue.then(() => void (done || stop()));
      });
      socket.on('close', () => {
        done = true;
      });
    },
  };
}
