import { Readable } from 'node:stream';
import { produceGrantReport } from '../../src/channels/reports/produce-report.ts';
import { createEmptyLedger, recordRelease, selectLinked, type ReleaseLedger } from '../../src/channels/reports/release-ledger.ts';
import { resolveReportingPeriod } from '../../src/channels/reports/reporting-period.ts';
import { createTestKeys } from '../helpers/contracts.ts';
import { grantContract } from '../helpers/report-fixtures.ts';
import { seededRandom } from '../helpers/report-tables.ts';

/**
 * Linked reports (`node test/bench/linked-periods-bench.ts`): the time to publish a longer period
 * after the shorter ones inside it (the quarter after its three months, the year after its four
 * quarters), protected jointly through the release ledger, against the same longer period
 * protected alone (no ledger), for a branch x programme table with margins. Each row: seconds,
 * figures suppressed / figures. BENCH_CASE (part of a case's label) runs only the matching cases.
 */
const contract = (branches: number) =>
  grantContract(`{ dimensions: [{ name: branch, from: branch, generalize: none }, { name: program, from: program, generalize: none }], measures: [participants, attendances], minCellSize: 11 }`, `bench-${branches}`);

function participation(branches: number, programs: number, people: number, months: ReadonlyArray<string>, random: () => number): Buffer {
  const lines = ['patronId,date,branch,program'];
  for (let p = 0; p < people; p++) {
    const visits = 1 + Math.floor(random() * 4);
    for (let v = 0; v < visits; v++) {
      const month = months[Math.floor(random() * months.length)] ?? '2026-07';
      const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
      lines.push(`P${p},${month}-${day},b${Math.floor(Math.pow(random(), 1.6) * branches)},p${Math.floor(Math.pow(random(), 1.6) * programs)}`);
    }
  }
  return Buffer.from(lines.join('\n'));
}

async function publish(ledger: ReleaseLedger | undefined, text: string, input: Buffer, branches: number): Promise<{ ledger?: ReleaseLedger; seconds: number; suppressed: string }> {
  const period = resolveReportingPeriod(text, undefined);
  if (!period) throw new Error('period');
  const started = performance.now();
  const report = await produceGrantReport(Readable.from([input]), contract(branches), { period: text, pseudonyms: createTestKeys(), now: new Date('2027-01-15T00:00:00Z'), ...(ledger ? { priorTables: selectLinked(ledger, period) } : {}) });
  const seconds = (performance.now() - started) / 1000;
  return { ...(ledger ? { ledger: recordRelease(ledger, report, period) } : {}), seconds, suppressed: `${report.summary.figuresSuppressed}/${report.summary.figures}` };
}

export async function benchLinkedPeriods(): Promise<void> {
  console.log('\nlinked reports (seconds, figures suppressed / figures)');
  console.log('case                                   | parts, one by one           | longer period, joint | longer period, alone');
  const months = Array.from({ length: 12 }, (_, m) => `2026-${String(m + 1).padStart(2, '0')}`);
  const cases = [
    ['5x5, Q3 after Jul, Aug, Sep', 5, 5, 600, ['2026-07', '2026-08', '2026-09'], '2026-Q3', months.slice(6, 9)],
    ['10x10, Q3 after Jul, Aug, Sep', 10, 10, 3000, ['2026-07', '2026-08', '2026-09'], '2026-Q3', months.slice(6, 9)],
    ['10x10, 2026 after Q1..Q4', 10, 10, 6000, ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'], '2026', months],
    ['10x10, 2026 after its 12 months', 10, 10, 6000, months, '2026', months],
  ] as const;
  for (const [label, branches, programs, people, parts, whole, span] of cases.filter((c) => !process.env['BENCH_CASE'] || c[0].includes(process.env['BENCH_CASE']))) {
    const input = participation(branches, programs, people, span, seededRandom(7));
    let ledger: ReleaseLedger | undefined = createEmptyLedger(`bench-${branches}`);
    const steps: string[] = [];
    for (const part of parts) {
      const step = await publish(ledger, part, input, branches);
      ledger = step.ledger;
      steps.push(step.seconds.toFixed(1));
    }
    const joint = await publish(ledger, whole, input, branches);
    const alone = await publish(undefined, whole, input, branches);
    console.log(`${label.padEnd(38)} | ${steps.join(', ').padEnd(27)} | ${`${joint.seconds.toFixed(1)} s, ${joint.suppressed}`.padEnd(20)} | ${alone.seconds.toFixed(1)} s, ${alone.suppressed}`);
  }
  // The other way round: the longer period first, then its parts (each linked with the longer
  // period and the parts before it; the input covers the longer period).
  console.log('case                                   | longer period first  | then its parts, one by one, joint');
  for (const [label, branches, programs, people, parts, whole, span] of cases.filter((c) => !process.env['BENCH_CASE'] || c[0].includes(process.env['BENCH_CASE'])).slice(0, 2)) {
    const input = participation(branches, programs, people, span, seededRandom(7));
    const first = await publish(createEmptyLedger(`bench-${branches}`), whole, input, branches);
    let ledger = first.ledger;
    const steps: string[] = [];
    for (const part of parts) {
      const step = await publish(ledger, part, input, branches);
      ledger = step.ledger;
      steps.push(`${step.seconds.toFixed(1)} s ${step.suppressed}`);
    }
    console.log(`${label.replace(/ after .*/, ` then ${parts.join(', ')}`).padEnd(38)} | ${`${first.seconds.toFixed(1)} s, ${first.suppressed}`.padEnd(20)} | ${steps.join('; ')}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLinkedPeriods();
