import type { ParsedMessage } from '../../sip2/parse-message.ts';
import type { VendorSession } from './vendor-session.ts';

/** What a handler does with a message: answer it, answer and close, or close without answering. */
export type Sip2Reply = { readonly send: Uint8Array; readonly close?: boolean } | { readonly send?: undefined; readonly close: true };

/**
 * One kind of vendor message, with the same small shape as a proxy stage: a name (for logs and
 * metrics), the codes it takes, a startup check on the contracts, and run.
 */
export interface Sip2Handler {
  readonly name: string;
  readonly codes: ReadonlyArray<string>;
  /** Problems with the configuration this handler depends on ("<vendor>: what is wrong"); empty when fine. */
  validate?(): string[];
  run(session: VendorSession, request: ParsedMessage): Promise<Sip2Reply> | Sip2Reply;
}
