import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { CompiledContract } from '../../../../src/contracts/compiled-contract.ts';
import { GatewayError } from '../../../../src/errors/gateway-error.ts';
import type { ErrorCode } from '../../../../src/errors/error-catalogue.ts';
import type { ProxyContext } from '../../../../src/channels/proxy/proxy-context.ts';
import type { Stage } from '../../../../src/channels/proxy/stage.ts';
import { createPatronGuard } from '../../../../src/policy/guard/patron-guard.ts';
import type { Patron } from '../../../../src/policy/patron.ts';
import { compileOrThrow, contractYaml, NOW } from '../../../helpers/contracts.ts';

/** A real compiled contract for vendor `id`: the test contract with `overrides` (see contractYaml). */
export function compileVendor(id: string, overrides: Record<string, string> = {}): CompiledContract {
  return compileOrThrow(contractYaml(overrides, id), `vendors/${id}.yaml`);
}

/** A patron with every kind of value the guard and the minimizer look at (an adult on NOW). */
export const ADULT: Patron = Object.freeze({
  patronId: 'p-1001',
  barcode: '21234000123456',
  firstName: 'Marisol',
  lastName: 'Quintana',
  email: 'marisol.quintana@example.org',
  phone: '(555) 867-5309',
  address: { street: '742 Evergreen Terrace', city: 'Springfield', state: 'OR', postalCode: '97403' },
  birthDate: '1988-04-12',
  patronType: 'adult',
  homeBranch: 'central',
  language: 'es',
  consents: ['share-email-with-vendors'],
});

/** A nine-year-old on NOW. */
export const CHILD: Patron = Object.freeze({ patronId: 'p-2002', barcode: '21234000999999', firstName: 'Tomasz', birthDate: '2017-06-01', patronType: 'juvenile' });

export interface RequestOptions {
  readonly method?: string;
  readonly url?: string;
  readonly headers?: Record<string, string>;
  /** Pushed as the request body, then the stream ends. Without it the stream ends empty. */
  readonly body?: string | Buffer;
}

/**
 * A real IncomingMessage over an unconnected socket: headers, method and url as a server would
 * have parsed them, and the body (if any) readable as a stream.
 */
export function makeRequest(options: RequestOptions = {}): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = options.method ?? 'GET';
  req.url = options.url ?? '/v/test-vendor/';
  req.headers = { ...(options.headers ?? {}) };
  if (options.body !== undefined) req.push(typeof options.body === 'string' ? Buffer.from(options.body) : options.body);
  req.push(null);
  return req;
}

export interface ContextOptions {
  readonly req?: IncomingMessage;
  /** The response to answer on (a real server's); by default one over the request's socket. */
  readonly res?: ServerResponse;
  readonly now?: Date;
  readonly vendorId?: string;
  readonly contract?: CompiledContract;
  readonly patron?: Patron;
  /** Give the context the patron's guard (as identify would). Default: when there is a patron. */
  readonly guard?: boolean;
  readonly upstreamPath?: string;
  readonly query?: string;
}

/** A ProxyContext as the pipeline runner creates it, with the fields earlier stages would have set. */
export function makeContext(options: ContextOptions = {}): ProxyContext {
  const req = options.req ?? makeRequest();
  const context: ProxyContext = {
    req,
    res: options.res ?? new ServerResponse(req),
    now: options.now ?? NOW,
    startedAt: process.hrtime.bigint(),
    upstreamPath: options.upstreamPath ?? '/',
    query: options.query ?? '',
    headers: {},
    catches: [],
    gatewayNanos: 0n,
  };
  if (options.vendorId !== undefined) context.vendorId = options.vendorId;
  if (options.contract !== undefined) context.contract = options.contract;
  if (options.patron !== undefined) {
    context.patron = options.patron;
    // The session the identify stage would have opened: the gate remembers results per session.
    context.session = { sid: `session-of-${options.patron.patronId}`, patronId: options.patron.patronId, exp: Math.floor(context.now.getTime() / 1000) + 3600 };
    if (options.guard ?? true) context.guard = createPatronGuard(options.patron);
  }
  return context;
}

/** Runs a stage's `run` hook, awaiting it whether it is synchronous or not. */
export async function runStage(stage: Stage, context: ProxyContext): Promise<void | 'handled'> {
  if (!stage.run) throw new Error(`stage ${stage.name} has no run hook`);
  return await stage.run(context);
}

/** The GatewayError a stage's run throws (or rejects with); fails when it finishes normally or throws anything else. */
export async function runStageError(stage: Stage, context: ProxyContext): Promise<GatewayError> {
  try {
    await runStage(stage, context);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`stage ${stage.name} finished without an error`);
}

/** Shorthand for tables: the code of the error, or 'ok'. */
export async function outcomeOf(stage: Stage, context: ProxyContext): Promise<ErrorCode | 'ok'> {
  try {
    await runStage(stage, context);
    return 'ok';
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
}
