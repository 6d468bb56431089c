import type { IncomingMessage } from 'node:http';
import type { ProxyContext } from './proxy-context.ts';

/**
 * One stage of the proxy pipeline. Every stage has the same small shape: a name, an optional
 * check at startup, and up to three hooks run in pipeline order: `run` on the way in (may throw
 * a GatewayError, or return 'handled' when it answered the request itself), `respond` when the
 * vendor's response headers arrive (may edit them), and `finish` when the response is over.
 */
export interface Stage {
  readonly name: string;
  /** Problems that must stop startup (for example a contract this stage cannot serve). */
  validate?(): string[];
  run?(context: ProxyContext): Promise<void | 'handled'> | void | 'handled';
  respond?(context: ProxyContext, upstream: IncomingMessage): void;
  finish?(context: ProxyContext): void;
}
