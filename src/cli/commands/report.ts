import { createReadStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createPseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import { produceGrantReport, type GrantReport } from '../../channels/reports/produce-report.ts';
import { renderReportCsv, renderReportHtml, renderReportJson, renderReportSummary } from '../../channels/reports/render-report.ts';
import { ReportInputError } from '../../channels/reports/report-error.ts';
import { loadLedgerFile, saveLedgerFile } from '../../channels/reports/ledger-file.ts';
import { recordRelease, selectLinked, type ReleaseLedger } from '../../channels/reports/release-ledger.ts';
import { resolveReportingPeriod, type ReportingPeriod } from '../../channels/reports/reporting-period.ts';
import { submitReport } from '../../channels/reports/submit-report.ts';
import { EXIT, type CliIo } from '../cli-io.ts';
import { formatBootMessages } from '../../boot.ts';
import { bootFromCli } from '../boot-from-cli.ts';

interface ReportOptions {
  grant: string;
  input: string;
  period?: string;
  format: string;
  out?: string;
  submit?: boolean;
  config?: string;
  vendors?: string;
  ledger?: string;
}

const CONTENT_TYPES: Record<string, string> = { csv: 'text/csv; charset=utf-8', json: 'application/json', html: 'text/html; charset=utf-8' };

/**
 * `gateway report --grant ID --input FILE.csv [--period 2026-Q3] [--ledger FILE] [--format csv|json|html] [--out FILE] [--submit]`:
 * a minimized, aggregate participation report for a grantor. Exit 0 done, 1 the input (or the
 * submission) failed, 2 bad options. With --out, the file appears whole or not at all.
 */
export function registerReport(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('report')
    .description("produce a grant's minimized participation report from a CSV of attendances")
    .requiredOption('--grant <id>', 'the grant programme (a kind: grant contract)')
    .requiredOption('--input <file>', 'participation CSV: patronId or barcode, birthDate, postalCode, branch, program, date, ...')
    .option('--period <period>', 'only this year (2026), quarter (2026-Q3) or month (2026-07)')
    .option('--format <format>', 'csv, json or html', 'csv')
    .option('--out <file>', 'write here instead of standard output (atomically)')
    .option('--submit', "also send the report to the grantor's endpoint named in its contract")
    .option('--ledger <file>', "the grant's release ledger: tables already published (read, and the new one added); needs --period")
    .option('--config <file>', 'the settings file')
    .option('--vendors <dir>', 'the contracts folder')
    .action(async (options: ReportOptions) => setExit(await runReport(options, io)));
}

export async function runReport(options: ReportOptions, io: CliIo): Promise<number> {
  const usage = (message: string): number => {
    io.stderr(`report: ${message}`);
    return EXIT.usage;
  };
  if (!(options.format in CONTENT_TYPES)) return usage('--format must be csv, json or html');
  const booted = await bootFromCli(options, io);
  if (!booted.ok) {
    for (const line of formatBootMessages(booted)) io.stderr(line);
    return usage(`the gateway's configuration has ${booted.problems.length} problem(s); run gateway check`);
  }
  const setup = booted.booted;
  const contract = setup.contracts.get(options.grant);
  const grants = [...setup.contracts.values()].filter((c) => c.kind === 'grant').map((c) => c.id);
  if (!contract || contract.kind !== 'grant') return usage(`there is no grant programme "${options.grant}"; grant programmes: ${grants.join(', ') || '(none)'}`);
  const { keys, settings } = setup;
  if (options.ledger !== undefined && options.period === undefined) return usage('--ledger needs --period: the ledger records which period each published table covers');
  let period: ReportingPeriod | undefined;
  try {
    period = resolveReportingPeriod(options.period, contract.report?.period);
  } catch (error) {
    if (error instanceof ReportInputError) return usage(error.message);
    throw error;
  }

  let report: GrantReport;
  let ledger: ReleaseLedger | undefined;
  try {
    ledger = options.ledger !== undefined ? await loadLedgerFile(options.ledger, contract.id) : undefined;
    report = await produceGrantReport(createReadStream(options.input), contract, {
      ...(options.period !== undefined ? { period: options.period } : {}),
      ...(ledger && period ? { priorTables: selectLinked(ledger, period) } : {}),
      pseudonyms: createPseudonymKeys({ masterSecret: keys.pseudonymSecret, epoch: keys.pseudonymEpoch, pseudonymCacheSize: 0 }),
      now: io.now(),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      io.stderr(`report: the input file cannot be read (${code})`);
      return EXIT.invalid;
    }
    if (error instanceof ReportInputError) {
      io.stderr(`report: ${error.message}`);
      return options.period !== undefined && error.message.startsWith('--period') ? EXIT.usage : EXIT.invalid;
    }
    throw error;
  }
  // The release is recorded before anything is published: a ledger that cannot be written stops it.
  if (ledger && period && options.ledger !== undefined) {
    try {
      await saveLedgerFile(options.ledger, recordRelease(ledger, report, period));
    } catch (error) {
      if (!(error instanceof ReportInputError)) throw error;
      io.stderr(`report: ${error.message}`);
      return EXIT.invalid;
    }
  }
  const body = options.format === 'json' ? renderReportJson(report) : options.format === 'html' ? renderReportHtml(report) : renderReportCsv(report);
  if (options.format === 'csv') io.stderr(renderReportSummary(report));
  if (options.out) {
    const temporary = `${options.out}.${process.pid}.partial`;
    try {
      await writeFile(temporary, body);
      await rename(temporary, options.out);
    } catch (error) {
      await rm(temporary, { force: true });
      io.stderr(`report: could not write the report (${(error as { code?: string }).code ?? 'error'}); nothing was written`);
      return EXIT.invalid;
    }
    io.stderr(`report written to ${options.out}`);
  } else {
    io.stdout(body.trimEnd());
  }
  if (options.submit) {
    try {
      const status = await submitReport({ contract, body, contentType: CONTENT_TYPES[options.format] ?? 'text/plain', issuer: settings.publicUrl, keys: setup.assertionKeys, now: io.now() });
      if (status < 200 || status >= 300) {
        io.stderr(`report: the grantor's endpoint answered ${status}; the report was not accepted`);
        return EXIT.invalid;
      }
      io.stderr(`report submitted to ${contract.name} (${status})`);
    } catch (error) {
      io.stderr(`report: ${(error as Error).message}`);
      return EXIT.invalid;
    }
  }
  return EXIT.ok;
}
