import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { GrantReport } from '../produce-report.ts';
import type { PublishedTable } from '../release-ledger.ts';
import { ReportInputError } from '../report-error.ts';
import type { ReportWorkerData, ReportWorkerInput } from './report-worker.ts';

export type ReportRunner = (
  input: Readable,
  contract: CompiledContract,
  options: { readonly period?: string; readonly now: Date; readonly priorTables?: ReadonlyArray<PublishedTable> },
) => Promise<GrantReport>;

/**
 * Runs each console report in a worker thread of its own, so the gateway's event loop (the proxy,
 * /healthz, other staff) keeps serving while a large file is read and protected. The upload is
 * forwarded to the worker chunk by chunk as it arrives; the worker gets the pseudonym secret for
 * counting people and gives back only the finished report. Resolves like produceGrantReport
 * (rejects with ReportInputError for bad input).
 */
export function createWorkerReportRunner(keys: { readonly masterSecret: Uint8Array; readonly epoch: number }): ReportRunner {
  return (input, contract, options) =>
    new Promise<GrantReport>((resolve, reject) => {
      const report = contract.report;
      const data: ReportWorkerData = {
        contract: { id: contract.id, name: contract.name, kind: contract.kind, ...(report ? { report } : {}), contract: { reference: contract.contract.reference } },
        ...(options.period !== undefined ? { period: options.period } : {}),
        now: options.now.toISOString(),
        ...(options.priorTables ? { priorTables: options.priorTables } : {}),
        masterSecret: keys.masterSecret,
        epoch: keys.epoch,
      };
      const worker = new Worker(new URL('./report-worker.ts', import.meta.url), { workerData: data });
      const send = (message: ReportWorkerInput): void => worker.postMessage(message);
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        input.off('data', onData);
        input.resume();
        void worker.terminate();
        outcome();
      };
      const onData = (chunk: Buffer): void => send({ chunk: new Uint8Array(chunk) });
      input.on('data', onData);
      input.on('end', () => send({ end: true }));
      input.on('error', () => send({ abort: true }));
      worker.on('message', (message: { report?: GrantReport; inputError?: string; failure?: true }) => {
        if (message.report) finish(() => resolve(message.report as GrantReport));
        else if (message.inputError !== undefined) finish(() => reject(new ReportInputError(message.inputError as string)));
        else finish(() => reject(new Error('the report worker failed')));
      });
      worker.on('error', () => finish(() => reject(new Error('the report worker failed'))));
      worker.on('exit', () => finish(() => reject(new Error('the report worker stopped'))));
    });
}
