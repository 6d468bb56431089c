import express, { Router, type Request, type Response } from 'express';
import { readVerifiedForm } from '../read-verified-form.ts';
import { diffContracts } from '../../contracts/diff-contracts.ts';
import { compileContractText } from '../../contracts/load-contracts.ts';
import { describeError } from '../../errors/error-catalogue.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { PageDeps } from '../page-deps.ts';
import { chooseLanguage } from '../messages/choose-language.ts';
import { renderStaffConsole, renderStaffDiff, renderStaffExplain } from './staff-pages.ts';
import { explainResult } from '../../minimize/explain.ts';
import { minimize } from '../../minimize/minimize.ts';
import { formatProblem } from '../../lib/problem.ts';
import { listContractWarnings } from './contract-warnings.ts';
import type { StaffCheck } from './require-staff.ts';

/**
 * The staff console (/staff): for staff patrons (a patron type from `admin.staffPatronTypes`) or
 * the `admin.staffToken` bearer credential; everyone else gets 403. Shows what each vendor
 * receives, contract warnings, live counts and scores, and has the explain and contract diff tools.
 */
export function createStaffRoutes(deps: Pick<PageDeps, 'clock' | 'contracts' | 'csrf' | 'metrics' | 'patrons' | 'pseudonyms' | 'settings'> & { requireStaff: StaffCheck }): Router {
  const requireStaff = deps.requireStaff;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 10 });
  const contracts = [...deps.contracts.values()];



  router.get('/staff', async (req, res) => {
    if (!(await requireStaff(req, res))) return;
    const now = deps.clock();
    const snapshot = deps.metrics.snapshot();
    const vendors = contracts.map((contract) => ({
      contract,
      warnings: listContractWarnings(contract, now),
      counts: snapshot.vendors[contract.id] ?? { requests: {}, releases: {}, releasesByField: {}, caught: {}, notices: {}, upstreamErrors: {} },
    }));
    res.type('html').send(renderStaffConsole({ m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), vendors }));
  });

  router.get('/staff/explain', async (req, res) => {
    if (!(await requireStaff(req, res))) return;
    res.type('html').send(renderStaffExplain({ m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), vendors: contracts }));
  });

  router.post('/staff/explain', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    if (!(await requireStaff(req, res))) return;
    const base = { m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), vendors: contracts };
    const vendor = typeof body['vendor'] === 'string' ? body['vendor'] : '';
    const at = typeof body['at'] === 'string' ? body['at'].trim() : '';
    const contract = deps.contracts.get(vendor);
    const when = at === '' ? deps.clock() : /^\d{4}-\d{2}-\d{2}$/.test(at) ? new Date(`${at}T12:00:00Z`) : undefined;
    const patron = typeof body['barcode'] === 'string' ? await deps.patrons.findByBarcode(body['barcode'].slice(0, 64)) : undefined;
    // Errors name what is wrong, never the value typed.
    const error = !contract ? 'Choose a vendor.' : !when || Number.isNaN(when.getTime()) ? 'The date must be written YYYY-MM-DD.' : !patron ? 'No patron has that card number.' : undefined;
    if (error || !contract || !when || !patron) {
      res.status(400).type('html').send(renderStaffExplain({ ...base, error: error ?? 'Invalid input.', vendor, at }));
      return;
    }
    const explanation = explainResult(contract, minimize(patron, contract, deps.pseudonyms, when), when);
    res.type('html').send(renderStaffExplain({ ...base, explanation, vendor, at }));
  });

  router.get('/staff/diff', async (req, res) => {
    if (!(await requireStaff(req, res))) return;
    res.type('html').send(renderStaffDiff({ m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), vendors: contracts }));
  });

  router.post('/staff/diff', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    if (!(await requireStaff(req, res))) return;
    const base = { m: chooseLanguage(req), csrf: deps.csrf.issue(req, res), vendors: contracts };
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
