import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { Router, type Request, type Response } from 'express';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { PageDeps } from '../../../web/page-deps.ts';
import type { StaffCheck } from '../../../web/staff/require-staff.ts';
import { chooseLanguage } from '../../../web/messages/choose-language.ts';
import { renderStaffReportForm, renderStaffReportPreview } from './staff-report-pages.ts';
import { produceGrantReport, type GrantReport } from '../produce-report.ts';
import { renderReportCsv, renderReportHtml, renderReportJson } from '../render-report.ts';
import { ReportInputError } from '../report-error.ts';

/** The largest participation file the console accepts (the CLI has no limit: it streams a file). */
const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

const DOWNLOADS: Record<string, { type: string; extension: string; render: (r: GrantReport) => string }> = {
  csv: { type: 'text/csv; charset=utf-8', extension: 'csv', render: renderReportCsv },
  json: { type: 'application/json; charset=utf-8', extension: 'json', render: renderReportJson },
  html: { type: 'text/html; charset=utf-8', extension: 'html', render: renderReportHtml },
};

/**
 * Grant reports in the staff console: upload a participation CSV, preview the minimized table and
 * its summary, or download it as CSV, JSON or HTML. The upload streams into the report and is
 * never stored. Same rules as `gateway report`.
 */
export function createStaffReportRoutes(deps: Pick<PageDeps, 'clock' | 'contracts' | 'csrf' | 'pseudonyms'> & { requireStaff: StaffCheck }): Router {
  const router = Router();
  const grants = [...deps.contracts.values()].filter((c) => c.kind === 'grant');

  router.get('/staff/reports', async (req, res) => {
    if (!(await deps.requireStaff(req, res))) return;
    res.type('html').send(renderStaffReportForm({ m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), grants }));
  });

  router.post('/staff/reports', async (req, res) => {
    if (!(await deps.requireStaff(req, res))) return;
    const fields: Record<string, string> = {};
    let outcome: Promise<GrantReport> | undefined;
    let refusal: GatewayError | undefined;
    let tooLarge = false;
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
        if (refusal || !contract) {
          file.resume();
          return;
        }
        file.on('limit', () => {
          tooLarge = true;
        });
        outcome = produceGrantReport(file, contract, {
          ...(fields['period'] ? { period: fields['period'] } : {}),
          pseudonyms: deps.pseudonyms,
          now: deps.clock(),
        });
        outcome.catch(() => file.resume());
      });
      parser.on('close', resolve);
      parser.on('error', reject);
      (req as IncomingMessage).pipe(parser);
    }).catch(() => {
      refusal ??= new GatewayError('bad_request');
    });
    if (refusal) throw refusal;
    const base = { m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), grants };
    if (!outcome) {
      res.status(400).type('html').send(renderStaffReportForm({ ...base, error: 'Choose a participation file (CSV) to upload.' }));
      return;
    }
    let report: GrantReport;
    try {
      report = await outcome;
    } catch (error) {
      if (!(error instanceof ReportInputError)) throw error;
      res.status(400).type('html').send(renderStaffReportForm({ ...base, error: error.message }));
      return;
    }
    if (tooLarge) throw new GatewayError('body_too_large');
    const download = DOWNLOADS[fields['format'] ?? ''];
    if (download) {
      const period = report.period ? `-${report.period}` : '';
      res.setHeader('Content-Disposition', `attachment; filename="${report.grant.id}${period}.${download.extension}"`);
      res.type(download.type).send(download.render(report));
      return;
    }
    res.type('html').send(renderStaffReportPreview({ ...base, report }));
  });
  return router;
}
