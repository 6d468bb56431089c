import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

/**
 * The grant report at scale: generates 1,000,000 attendance rows, then runs, each in its own
 * process, a baseline (csv-parse reading the file and doing nothing else) and `gateway report`
 * on it, printing wall time, CPU time (user + system), rows/s, peak RSS and the ratio to the
 * baseline. Target: 1M rows in <= 10 s and
 * <= 200 MB RSS. The rows are distinct (about 6,000 exact duplicates by chance), from 150,000
 * people.
 */
async function generate(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('patronId,firstName,birthDate,postalCode,branch,program,date,notes\n');
  // A 32-bit linear congruential generator in integer arithmetic (Math.imul): the same recurrence
  // in floating point lost its low bits past 2^53 and cycled within a few thousand rows, so the
  // file held 6,426 distinct rows and 993,574 exact duplicates.
  let seed = 42;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const zips = Array.from({ length: 40 }, (_, i) => String(6800 + i * 7).padStart(5, '0'));
  for (let i = 0; i < rows; i++) {
    const person = random(150_000);
    const year = 1950 + (person % 70);
    const line = `p-${person},Name${person},${year}-0${1 + (person % 9)}-1${person % 10},${zips[person % 40]},branch-${person % 5},program-${random(8)},2026-${String(1 + random(12)).padStart(2, '0')}-1${random(10)},\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** User plus system CPU seconds of a running process (from /proc; 0 once it has ended). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
  } catch {
    return 0;
  }
}

function measure(args: string[], env: Record<string, string> = {}): Promise<{ seconds: number; cpu: number; peakMb: number; code: number | null }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, ...env } });
  let peak = 0;
  let cpu = 0;
  const timer = setInterval(() => {
    cpu = Math.max(cpu, cpuSecondsOf(child.pid));
    try {
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      peak = Math.max(peak, hwm);
    } catch {
      // the process has ended
    }
  }, 20);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, cpu, peakMb: peak / 1024, code });
    });
  });
}

export async function benchReport(rows = Number(process.env['BENCH_REPORT_ROWS'] ?? 1_000_000)): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-report-bench-'));
  try {
    const file = join(dir, 'participation.csv');
    await generate(file, rows);
    console.log(`\ngrant report (${rows.toLocaleString('en-US')} rows, each run in its own process)`);
    const baseline = await measure(['--input-type=module', '-e', `import { parse } from 'csv-parse'; import { createReadStream } from 'node:fs'; let n = 0; for await (const r of createReadStream(${JSON.stringify(file)}).pipe(parse())) n++;`]);
    const report = await measure(['src/cli/gateway.ts', 'report', '--grant', 'state-grant-demo', '--input', file, '--out', join(dir, 'report.csv')]);
    if (report.code !== 0) throw new Error(`gateway report exited ${report.code}`);
    const line = (name: string, r: { seconds: number; cpu: number; peakMb: number }): string => `  ${name.padEnd(30)} ${r.seconds.toFixed(2).padStart(6)} s wall  ${r.cpu.toFixed(2).padStart(6)} s CPU (last 20 ms sample)  ${Math.round(rows / r.seconds).toLocaleString('en-US').padStart(10)} rows/s  peak RSS ${r.peakMb.toFixed(0).padStart(4)} MB`;
    console.log(line('baseline: csv-parse only', baseline));
    console.log(line('gateway report', report));
    console.log(`  ratio report/baseline time ${(report.seconds / baseline.seconds).toFixed(2)}, CPU ${(report.cpu / Math.max(0.01, baseline.cpu)).toFixed(2)} (the machine is shared: wall time is noisy, CPU less so)`);
    console.log(`  target <= 10 s and <= 200 MB: ${report.seconds <= 10 && report.peakMb <= 200 ? 'met' : 'NOT met'}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
