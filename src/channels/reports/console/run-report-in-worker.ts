import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { GrantReport, ReportProgress } from '../produce-report.ts';
import type { PublishedTable } from '../release-ledger.ts';
import { ReportInputError } from '../report-error.ts';
import type { ReportWorkerData, ReportWorkerInput, ReportWorkerOutput } from './report-worker.ts';
import { ReportStoppedError } from './report-stopped-error.ts';

/** How often a report worker's memory (heap and ArrayBuffers) is checked against reports.maxMemoryMb. */
const MEMORY_CHECK_MS = 100;

export interface ReportRunOptions {
  readonly period?: string;
  readonly now: Date;
  readonly priorTables?: ReadonlyArray<PublishedTable>;
  /** Told as the file is read and the table protected (counts and phases only, nothing about a person). */
  readonly onProgress?: (progress: ReportProgress) => void;
  /** Aborting stops the run (its worker is terminated) and rejects with ReportStoppedError('aborted'). */
  readonly signal?: AbortSignal;
}

export type ReportRunner = (input: Readable, contract: CompiledContract, options: ReportRunOptions) => Promise<GrantReport>;

export interface WorkerReportLimits {
  /** A run still going after this long is terminated (ReportStoppedError 'time'). */
  readonly timeoutMs: number;
  /** The worker's JavaScript heap (V8 old generation); past it the worker ends (ReportStoppedError 'memory'). */
  readonly maxMemoryMb: number;
}

/**
 * Runs each console report in a worker thread of its own, so the gateway's event loop (the proxy,
 * /healthz, other staff) keeps serving while a large file is read and protected. The upload is
 * forwarded to the worker chunk by chunk as it arrives; the worker gets the pseudonym secret for
 * counting people and gives back only progress counts and the finished report. Resolves like
 * produceGrantReport (rejects with ReportInputError for bad input); a worker over its time or
 * memory limit, one that crashes, or an aborted run rejects with ReportStoppedError. The promise
 * settles only once the worker thread has ended, so whoever bounds runs (report-slots.ts) frees a
 * slot for a thread that is really gone.
 */
export function createWorkerReportRunner(keys: { readonly masterSecret: Uint8Array; readonly epoch: number }, limits: WorkerReportLimits): ReportRunner {
  return (input, contract, options) =>
    new Promise<GrantReport>((resolve, reject) => {
      if (options.signal?.aborted) {
        input.resume();
        reject(new ReportStoppedError('aborted'));
        return;
      }
      const report = contract.report;
      const data: ReportWorkerData = {
        contract: { id: contract.id, name: contract.name, kind: contract.kind, ...(report ? { report } : {}), contract: { reference: contract.contract.reference } },
        ...(options.period !== undefined ? { period: options.period } : {}),
        now: options.now.toISOString(),
        ...(options.priorTables ? { priorTables: options.priorTables } : {}),
        masterSecret: keys.masterSecret,
        epoch: keys.epoch,
      };
      const worker = new Worker(new URL('./report-worker.ts', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb } });
      const send = (message: ReportWorkerInput): void => worker.postMessage(message);
      const onData = (chunk: Buffer): void => send({ chunk: new Uint8Array(chunk) });
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watch);
        options.signal?.removeEventListener('abort', onAbort);
        input.off('data', onData);
        input.resume();
        // Settle once the thread is gone (terminate resolves at once for a thread that already exited).
        worker.terminate().then(outcome, outcome);
      };
      const stop = (reason: ConstructorParameters<typeof ReportStoppedError>[0]): void => finish(() => reject(new ReportStoppedError(reason)));
      const timer = setTimeout(() => stop('time'), limits.timeoutMs);
      // resourceLimits bound the JavaScript heap only; the tally keeps its sets in resizable
      // ArrayBuffers outside it. Their bytes are the worker's external memory: heap and external
      // together must stay within maxMemoryMb, checked every 100 ms.
      const budget = limits.maxMemoryMb * 1024 * 1024;
      const watch = setInterval(() => {
        worker.getHeapStatistics().then(
          (heap) => {
            if (heap.used_heap_size + heap.external_memory > budget) stop('memory');
          },
          () => undefined,
        );
      }, MEMORY_CHECK_MS);
      watch.unref();
      const onAbort = (): void => stop('aborted');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      input.on('data', onData);
      input.on('end', () => send({ end: true }));
      input.on('error', () => send({ abort: true }));
      worker.on('message', (message: ReportWorkerOutput) => {
        if ('progress' in message) {
          if (!settled) options.onProgress?.(message.progress);
        } else if ('report' in message) finish(() => resolve(message.report));
        else if ('inputError' in message) finish(() => reject(new ReportInputError(message.inputError)));
        else stop('crash');
      });
      worker.on('error', (error: Error & { code?: string }) => stop(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'crash'));
      worker.on('exit', () => stop('crash'));
    });
}
