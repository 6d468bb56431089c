/**
 * The worker-thread side of a console report (see run-report-in-worker.ts): reads the upload's
 * chunks from its parent, produces the report, and posts back its progress (rows read, phase),
 * then the finished report (aggregates only) or the input error's message. Runs off the gateway's event loop.
 */
import { Readable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { createPseudonymKeys } from '../../../policy/pseudonyms/pseudonym-keys.ts';
import { produceGrantReport, type GrantReport, type ReportProgress } from '../produce-report.ts';
import type { PublishedTable } from '../release-ledger.ts';
import { ReportInputError } from '../report-error.ts';

export interface ReportWorkerData {
  readonly contract: Pick<CompiledContract, 'id' | 'name' | 'kind' | 'report'> & { readonly contract: { readonly reference: string } };
  readonly period?: string;
  readonly now: string;
  readonly priorTables?: ReadonlyArray<PublishedTable>;
  readonly masterSecret: Uint8Array;
  readonly epoch: number;
}

export type ReportWorkerInput = { readonly chunk: Uint8Array } | { readonly end: true } | { readonly abort: true };

/** What the worker posts back: progress (counts and phases only), then the report, an input error's message, or a failure. */
export type ReportWorkerOutput =
  | { readonly progress: ReportProgress }
  | { readonly report: GrantReport }
  | { readonly inputError: string }
  | { readonly failure: true };

const port = parentPort;
if (port) {
  const data = workerData as ReportWorkerData;
  const input = new Readable({ read() {} });
  port.on('message', (message: ReportWorkerInput) => {
    if ('chunk' in message) input.push(Buffer.from(message.chunk));
    else if ('end' in message) input.push(null);
    else input.destroy(new ReportInputError('the upload was interrupted'));
  });
  const pseudonyms = createPseudonymKeys({ masterSecret: Buffer.from(data.masterSecret), epoch: data.epoch, pseudonymCacheSize: 0 });
  const post = (message: ReportWorkerOutput): void => port.postMessage(message);
  produceGrantReport(input, data.contract as CompiledContract, {
    ...(data.period !== undefined ? { period: data.period } : {}),
    ...(data.priorTables ? { priorTables: data.priorTables } : {}),
    pseudonyms,
    now: new Date(data.now),
    onProgress: (progress) => post({ progress }),
  }).then(
    (report) => post({ report }),
    (error: unknown) => post(error instanceof ReportInputError ? { inputError: error.message } : { failure: true }),
  );
}
