import type { BlockedHostName } from './staff-vendor-page.ts';
import express, { Router } from 'express';
import { readVerifiedForm } from '../read-verified-form.ts';
import { diffContracts } from '../../contracts/diff-contracts.ts';
import { compileContractText } from '../../contracts/load-contracts.ts';
import { describeError } from '../../errors/error-catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { PageDeps } from '../page-deps.ts';
import { chooseLanguage } from '../messages/choose-language.ts';
import { chooseStaffMessages } from '../messages/staff-catalogues.ts';
import { renderStaffDiff, renderStaffExplain } from './staff-pages.ts';
import { renderStaffOverview } from './staff-overview-page.ts';
import { renderStaffVendor } from './staff-vendor-page.ts';
import { explainResult } from '../../minimize/explain.ts';
import { minimize } from '../../minimize/minimize.ts';
import { formatProblem } from '../../lib/problem.ts';
import { scoreContract } from '../../metering/minimization-score.ts';
import type { TrafficHistorySource } from '../../metering/traffic-history.ts';
import { buildOverviewRows, listAlerts, readOverviewQuery, selectRows } from './overview-model.ts';
import type { StaffCheck } from './require-staff.ts';

/**
 * The staff console (/staff): for staff patrons (a patron type from `admin.staffPatronTypes`) or
 * the `admin.staffToken` bearer credential; everyone else gets 403. The overview (every vendor and
 * channel, alerts, figures from Prometheus or since start), a page per vendor, and the explain and
 * contract diff tools.
 */
export function createStaffRoutes(deps: Pick<PageDeps, 'clock' | 'contracts' | 'csrf' | 'metrics' | 'patrons' | 'pseudonyms' | 'settings'> & {
    requireStaff: StaffCheck;
    history: TrafficHistorySource;
    /** Browse mode's record of the hosts it kept from a vendor's pages lately (this node), named on the vendor page. */
    blockedHosts?: (vendorId: string) => ReadonlyArray<BlockedHostName>;
  },
): Router {
  const requireStaff = deps.requireStaff;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 10 });
  const contracts = [...deps.contracts.values()];
  const vendorIds = contracts.map((c) => c.id);

  router.get('/staff', async (req, res) => {
    if (!(await requireStaff(req, res))) return;
    const m = chooseLanguage(req);
    const query = readOverviewQuery(req.query);
    const history = await deps.history.read(vendorIds);
    const rows = buildOverviewRows(contracts, history, query.window, deps.clock(), scoreContract);
    res.type('html').send(renderStaffOverview({ m, sm: chooseStaffMessages(m), csrf: deps.csrf.issue(req, res), history, query, rows: selectRows(rows, query), total: rows.length, alerts: listAlerts(rows) }));
  });

  router.get('/staff/vendors/:id', async (req, res) => {
    if (!(await requireStaff(req, res))) return;
    const contract = deps.contracts.get(req.params['id'] ?? '');
    if (!contract) throw new GatewayError('not_found');
    const m = chooseLanguage(req);
    const history = await deps.history.read([contract.id]);
    const [row] = buildOverviewRows([contract], history, '24h', deps.clock(), scoreContract);
    const outcomesSinceStart = deps.metrics.snapshot().vendors[contract.id]?.requests ?? {};
    res.type('html').send(renderStaffVendor({ m, sm: chooseStaffMessages(m), csrf: deps.csrf.issue(req, res), contract, row: row as NonNullable<typeof row>, history, outcomesSinceStart, blockedHosts: deps.blockedHosts?.(contract.id) ?? [] }));
  });

  router.get('/staff/explain', async (req, res) => {
    if (!(await requireStaff(req, res))) return;
    const m = chooseLanguage(req);
    res.type('html').send(renderStaffExplain({ m, sm: chooseStaffMessages(m), csrf: deps.csrf.issue(req, res), vendors: contracts }));
  });

  router.post('/staff/explain', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    if (!(await requireStaff(req, res))) return;
    const m = chooseLanguage(req);
    const base = { m, sm: chooseStaffMessages(m), csrf: deps.csrf.issue(req, res), vendors: contracts };
    const vendor = typeof body['vendor'] === 'string' ? body['vendor'] : '';
    const at = typeof body['at'] === 'string' ? body['at'].trim() : '';
    const contract = deps.contracts.get(vendor);
    const when = at === '' ? deps.clock() : /^\d{4}-\d{2}-\d{2}$/.test(at) ? new Date(`${at}T12:00:00Z`) : undefined;
    const patron = typeof body['barcode'] === 'string' ? await deps.patrons.findByBarcode(body['barcode'].slice(0, 64)) : undefined;
    // Errors name what is wrong, never the value typed.
    const error = !contract ? 'vendor' : !when || Number.isNaN(when.getTime()) ? 'date' : !patron ? 'patron' : undefined;
    if (error || !contract || !when || !patron) {
      res.status(400).type('html').send(renderStaffExplain({ ...base, error: error ?? 'vendor', vendor, at }));
      return;
    }
    const explanation = explainResult(contract, minimize(patron, contract, deps.pseudonyms, when), when);
    res.type('html').send(renderStaffExplain({ ...base, explanation, vendor, at }));
  });

  router.get('/staff/diff', async (req, res) => {
    if (!(await requireStaff(req, res))) return;
    const m = chooseLanguage(req);
    const chosen = typeof req.query['vendor'] === 'string' && deps.contracts.has(req.query['vendor']) ? req.query['vendor'] : undefined;
    res.type('html').send(renderStaffDiff({ m, sm: chooseStaffMessages(m), csrf: deps.csrf.issue(req, res), vendors: contracts, ...(chosen ? { vendor: chosen } : {}) }));
  });

  router.post('/staff/diff', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    if (!(await requireStaff(req, res))) return;
    const m = chooseLanguage(req);
    const base = { m, sm: chooseStaffMessages(m), csrf: deps.csrf.issue(req, res), vendors: contracts };
    const vendor = typeof body['vendor'] === 'string' ? body['vendor'] : '';
    const proposed = typeof body['proposed'] === 'string' ? body['proposed'] : '';
    const current = deps.contracts.get(vendor);
    if (!current) throw new GatewayError('unknown_vendor');
    const compiled = compileContractText(`${vendor}.yaml`, proposed, { signingKeyConfigured: deps.settings.signingKeyConfigured });
    if (!compiled.contract) {
      // An unusable proposal (bad YAML, an alias bomb, a contract mistake) is the staff member's bad request: every problem is listed.
      res.status(describeError('bad_request').status).type('html').send(renderStaffDiff({ ...base, vendor, proposed, problems: compiled.problems.map((p) => formatProblem({ ...p, file: 'proposed' })) }));
      return;
    }
    res.type('html').send(renderStaffDiff({ ...base, vendor, proposed, diff: diffContracts(current, compiled.contract) }));
  });
  return router;
}
