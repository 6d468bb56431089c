import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CompiledContract } from '../../../../../src/contracts/compiled-contract.ts';
import type { ReportProgress } from '../../../../../src/channels/reports/produce-report.ts';
import { createWorkerReportRunner } from '../../../../../src/channels/reports/console/run-report-in-worker.ts';
import { ReportStoppedError } from '../../../../../src/channels/reports/console/report-stopped-error.ts';
import { compileOrThrow, NOW, TEST_MASTER_SECRET } from '../../../../helpers/contracts.ts';

const GRANT = compileOrThrow(readFileSync('vendors/state-grant-demo.yaml', 'utf8'), 'vendors/state-grant-demo.yaml');
const KEYS = { masterSecret: TEST_MASTER_SECRET, epoch: 1 };

function file(): Readable {
  const lines = ['patronId,birthDate,postalCode,date'];
  for (let i = 0; i < 15; i++) lines.push(`CANARY-${i},2017-0${1 + (i % 9)}-15,06880,2026-07-${10 + i}`);
  return Readable.from([Buffer.from(lines.join('\n'))]);
}

describe('createWorkerReportRunner: a report in a worker thread, within limits', () => {
  it('tells its progress in order (reading from the header on, protecting, auditing), counts only', async () => {
    const steps: ReportProgress[] = [];
    const report = await createWorkerReportRunner(KEYS, { timeoutMs: 60_000, maxMemoryMb: 256 })(file(), GRANT, { now: NOW, onProgress: (p) => steps.push(p) });
    expect(steps).toEqual([
      { phase: 'reading', rowsRead: 0 },
      { phase: 'protecting', rowsRead: 15 },
      { phase: 'auditing', rowsRead: 15 },
    ]);
    expect(report.summary.rowsRead).toBe(15);
    expect(JSON.stringify(steps) + JSON.stringify(report)).not.toMatch(/CANARY|06880/);
  });

  it.each([
    ['a file that never ends, past the time limit', 'time', { timeoutMs: 300, maxMemoryMb: 256 }, (): Readable => new PassThrough(), undefined],
    ['a run its caller aborts', 'aborted', { timeoutMs: 60_000, maxMemoryMb: 256 }, (): Readable => new PassThrough(), 'abort'],
    ['a run aborted before it starts', 'aborted', { timeoutMs: 60_000, maxMemoryMb: 256 }, file, 'aborted'],
  ] as const)('%s is stopped (%s) with a message for staff', async (_why, reason, limits, input, abort) => {
    const controller = new AbortController();
    if (abort === 'aborted') controller.abort();
    const run = createWorkerReportRunner(KEYS, limits)(input(), GRANT, { now: NOW, signal: controller.signal });
    if (abort === 'abort') setImmediate(() => controller.abort());
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportStoppedError);
    expect((error as ReportStoppedError).reason).toBe(reason);
    expect((error as Error).message).toMatch(/Nothing was published/);
  });

  it('a worker that fails unexpectedly (a report section it cannot use) is stopped as a crash, not left running', async () => {
    const broken = { ...GRANT, report: { ...GRANT.report, dimensions: 42 } } as unknown as CompiledContract;
    const error = await createWorkerReportRunner(KEYS, { timeoutMs: 60_000, maxMemoryMb: 256 })(file(), broken, { now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportStoppedError);
    expect((error as ReportStoppedError).reason).toBe('crash');
    expect((error as Error).message).toMatch(/failed unexpectedly/);
  });
});
