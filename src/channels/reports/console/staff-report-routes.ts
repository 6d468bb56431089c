import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { Router, type Request, type Response } from 'express';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { PageDeps } from '../../../web/page-deps.ts';
import type { StaffCheck } from '../../../web/staff/require-staff.ts';
import { chooseLanguage } from '../../../web/messages/choose-language.ts';
import type { Messages } from '../../../web/messages/messages.ts';
import { chooseStaffMessages } from '../../../web/messages/staff-catalogues.ts';
import { renderReportProgressLine, renderReportStreamEnd, renderStaffReportForm, renderStaffReportPreview, renderStaffReportStream } from './staff-report-pages.ts';
import type { GrantReport, ReportProgress } from '../produce-report.ts';
import { loadLedgerFile, saveLedgerFile } from '../ledger-file.ts';
import { recordRelease, selectLinked, type PublishedTable } from '../release-ledger.ts';
import { resolveReportingPeriod } from '../reporting-period.ts';
import type { ReportDownloads } from './report-downloads.ts';
import type { ReportRunner, ReportRunOptions } from './run-report-in-worker.ts';
import type { ReportSlots } from './report-slots.ts';
import { ReportStoppedError } from './report-stopped-error.ts';
import { renderReportCsv, renderReportHtml, renderReportJson } from '../render-report.ts';
import { ReportInputError } from '../report-error.ts';

/** The largest participation file the console accepts (the CLI has no limit: it streams a file). */
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

const DOWNLOADS: Record<string, { type: string; extension: string; render: (r: GrantReport) => string }> = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv', render: renderReportCsv },
  json: { type: 'application/json; charset=utf-8', extension: 'json', render: renderReportJson },
  html: { type: 'text/html; charset=utf-8', extension: 'html', render: renderReportHtml },
};

/** A download id as createReportDownloads makes them (22 base64url characters). */
const DOWNLOAD_PATH = /^\/staff\/reports\/download\/([A-Za-z0-9_-]{22})\.(csv|json|html)$/;

/**
 * Grant reports in the staff console: upload a participation CSV, preview the minimized table and
 * its summary, then download that same table as CSV, JSON or HTML (links valid for 15 minutes,
 * no second upload), or download at once. The upload streams into a worker thread (runReport) and
 * is never stored; a preview's page streams its progress (rows read, phase) while the report runs.
 * At most `slots.max` reports run at once: past that, 503 reports_busy. Same rules as `gateway
 * report`; with `reports.ledgerDir`, each grant's release ledger (`<ledgerDir>/<grant>.json`)
 * gives the report its linked published tables, and a
 * table is recorded there when it is first downloaded.
 */
export function createStaffReportRoutes(
  deps: Pick<PageDeps, 'clock' | 'contracts' | 'csrf' | 'logger'> & {
    requireStaff: StaffCheck;
    runReport: ReportRunner;
    slots: ReportSlots;
    downloads: ReportDownloads;
    ledgerDir?: string | undefined;
  },
): Router {
  const router = Router();
  const grants = [...deps.contracts.values()].filter((c) => c.kind === 'grant');
  const recorded = new WeakSet<GrantReport>();
  const ledgerFile = (grant: string): string | undefined => (deps.ledgerDir ? join(deps.ledgerDir, `${grant}.json`) : undefined);

  /** Sends a published table as a download, recording it in the grant's ledger first (once). */
  const sendDownload = async (res: Response, report: GrantReport, format: string): Promise<boolean> => {
    const download = DOWNLOADS[format];
    if (!download) return false;
    const file = ledgerFile(report.grant.id);
    const contract = deps.contracts.get(report.grant.id);
    if (file && contract && !recorded.has(report)) {
      const period = resolveReportingPeriod(report.period, contract.report?.period);
      if (!period) throw new ReportInputError('a period is needed to record the report in the release ledger; give one (2026-Q3)');
      await saveLedgerFile(file, recordRelease(await loadLedgerFile(file, report.grant.id), report, period));
      recorded.add(report);
    }
    const period = report.period ? `-${report.period}` : '';
    res.setHeader('Content-Disposition', `attachment; filename="${report.grant.id}${period}.${download.extension}"`);
    res.type(download.type).send(download.render(report));
    return true;
  };

  router.get(DOWNLOAD_PATH, async (req, res) => {
    if (!(await deps.requireStaff(req, res))) return;
    const [, id = '', format = ''] = DOWNLOAD_PATH.exec(req.path) ?? [];
    const report = deps.downloads.find(id);
    if (!report) throw new GatewayError('not_found');
    try {
      await sendDownload(res, report, format);
    } catch (error) {
      if (!(error instanceof ReportInputError)) throw error;
      res.status(400).type('html').send(renderStaffReportForm({ m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), grants, error: error.message }));
    }
  });

  router.get('/staff/reports', async (req, res) => {
    if (!(await deps.requireStaff(req, res))) return;
    res.type('html').send(renderStaffReportForm({ m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), grants }));
  });

  const runReportWithLedger = async (file: Readable, contract: CompiledContract, period: string | undefined, run: Pick<ReportRunOptions, 'onProgress' | 'signal'>): Promise<GrantReport> => {
    const ledger = ledgerFile(contract.id);
    let priorTables: ReadonlyArray<PublishedTable> | undefined;
    if (ledger) {
      const range = resolveReportingPeriod(period, contract.report?.period);
      if (!range) throw new ReportInputError('--period is required: published tables are recorded by period in the release ledger');
      priorTables = selectLinked(await loadLedgerFile(ledger, contract.id), range);
    }
    return deps.runReport(file, contract, { ...(period !== undefined ? { period } : {}), now: deps.clock(), ...(priorTables ? { priorTables } : {}), ...run });
  };

  /** The message staff see for a report that failed (bad input, unprotectable, stopped), or undefined for an unexpected error. */
  const explainFailure = (error: unknown): { status: number; message: string } | undefined => {
    if (error instanceof ReportInputError) return { status: 400, message: error.message };
    if (error instanceof ReportStoppedError) {
      deps.logger.warn('report stopped', { code: error.reason });
      return { status: error.reason === 'crash' ? 500 : 503, message: error.message };
    }
    return undefined;
  };

  router.post('/staff/reports', async (req, res) => {
    if (!(await deps.requireStaff(req, res))) return;
    // Every slot taken: refuse before reading the upload (the connection closes).
    if (deps.slots.running >= deps.slots.max) throw new GatewayError('reports_busy');
    const fields: Record<string, string> = {};
    let outcome: Promise<GrantReport> | undefined;
    let refusal: GatewayError | undefined;
    let tooLarge = false;
    let grantName = '';
    let stoppedEarly = false;
    // The run's progress: the latest step, and who is streaming it (once the page has started).
    let latest: ReportProgress | undefined;
    let onStep: ((progress: ReportProgress) => void) | undefined;
    let reading: () => void = () => {};
    const readingStarted = new Promise<void>((resolve) => {
      reading = resolve;
    });
    const abort = new AbortController();
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 1024 } });
      parser.on('field', (name, value) => {
        fields[name] = value;
      });
      parser.on('file', (_name, file: Readable & { truncated?: boolean }) => {
        // The form puts its fields before the file, so they are known here.
        const contract = deps.contracts.get(fields['grant'] ?? '');
        if (!deps.csrf.verify(req, fields['csrf'])) refusal = new GatewayError('csrf_failed');
        else if (!contract || contract.kind !== 'grant') refusal = new GatewayError('unknown_vendor');
        const release = refusal || !contract ? undefined : deps.slots.tryAcquire();
        if (!refusal && !release) refusal = new GatewayError('reports_busy');
        if (refusal || !contract || !release) {
          file.resume();
          return;
        }
        grantName = contract.name;
        file.on('limit', () => {
          tooLarge = true;
        });
        const onProgress = (progress: ReportProgress): void => {
          latest = progress;
          reading();
          onStep?.(progress);
        };
        outcome = runReportWithLedger(file, contract, fields['period'] || undefined, { onProgress, signal: abort.signal }).finally(release);
        outcome.catch((error: unknown) => {
          file.resume();
          // A worker stopped by its time or memory limit (or crashed) while the file is still
          // arriving: answer now instead of reading the rest; the connection then closes.
          if (error instanceof ReportStoppedError && error.reason !== 'aborted') {
            stoppedEarly = true;
            (req as IncomingMessage).unpipe(parser);
            resolve();
          }
        });
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      (req as IncomingMessage).pipe(parser);
    }).catch(() => {
      refusal ??= new GatewayError('bad_request');
    });
    if (refusal || tooLarge) abort.abort();
    if (refusal) throw refusal;
    const base = { m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), grants };
    if (!outcome) {
      res.status(400).type('html').send(renderStaffReportForm({ ...base, error: chooseStaffMessages(base.m).reports.chooseFile }));
      return;
    }
    if (tooLarge) {
      await outcome.catch(() => undefined);
      throw new GatewayError('body_too_large');
    }
    if (stoppedEarly) res.setHeader('Connection', 'close');
    const format = fields['format'] ?? '';
    // A preview streams its page from the moment the file's header is accepted: progress lines as
    // the file is read and protected, then the table. Errors found before that (a bad period, a
    // missing column) still get their own status and the form.
    const settledFirst = await Promise.race([outcome.then(() => true, () => true), readingStarted.then(() => false)]);
    if (format === 'preview' && !settledFirst && !stoppedEarly) {
      await streamPreview(res, outcome, base, grantName, { latest: () => latest, listen: (step) => (onStep = step), abort });
      return;
    }
    let report: GrantReport;
    try {
      report = await outcome;
    } catch (error) {
      const failure = explainFailure(error);
      if (!failure) throw error;
      res.status(failure.status).type('html').send(renderStaffReportForm({ ...base, error: failure.message }));
      return;
    }
    try {
      if (await sendDownload(res, report, format)) return;
    } catch (error) {
      if (!(error instanceof ReportInputError)) throw error;
      res.status(400).type('html').send(renderStaffReportForm({ ...base, error: error.message }));
      return;
    }
    res.type('html').send(renderStaffReportPreview({ ...base, report, downloadId: deps.downloads.keep(report) }));
  });

  /**
   * Streams the preview page (chunked, no script): the layout's head, a progress line per step,
   * then the table or what went wrong (the status is 200 by then), then the layout's tail. Closing
   * the page stops the report.
   */
  const streamPreview = async (
    res: Response,
    outcome: Promise<GrantReport>,
    base: { m: Messages; csrf: string },
    grantName: string,
    progress: { latest: () => ReportProgress | undefined; listen: (step: (p: ReportProgress) => void) => void; abort: AbortController },
  ): Promise<void> => {
    const page = renderStaffReportStream({ m: base.m, csrf: base.csrf, grantName });
    const sm = chooseStaffMessages(base.m);
    res.status(200).type('html');
    // Reverse proxies that buffer (nginx) are asked not to, so each line shows as it is written.
    res.setHeader('X-Accel-Buffering', 'no');
    res.on('close', () => {
      if (!res.writableFinished) progress.abort.abort();
    });
    res.write(page.head);
    const first = progress.latest();
    if (first) res.write(renderReportProgressLine(first, sm));
    progress.listen((step) => {
      if (!res.writableEnded) res.write(renderReportProgressLine(step, sm));
    });
    let end: string;
    try {
      const report = await outcome;
      end = renderReportStreamEnd({ report, downloadId: deps.downloads.keep(report) }, sm);
    } catch (error) {
      const failure = explainFailure(error);
      if (!failure) deps.logger.error('page error', { code: 'internal' });
      end = renderReportStreamEnd({ error: failure?.message ?? sm.reports.failed }, sm);
    }
    progress.listen(() => {});
    if (!res.writableEnded) res.end(end + page.tail);
  };
  return router;
}
