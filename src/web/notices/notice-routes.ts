import express, { Router, type Request, type Response } from 'express';
import { readVerifiedForm } from '../read-verified-form.ts';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { isContractInForce } from '../../contracts/contract-status.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { PageDeps } from '../page-deps.ts';
import { chooseLanguage } from '../messages/choose-language.ts';
import { renderNoticePage } from './notice-page.ts';
import { renderRegisterPage } from '../register/register-page.ts';
import { renderSharingPage } from '../sharing/sharing-page.ts';
import { minimize } from '../../minimize/minimize.ts';
import { resolveSafeNext } from '../../sessions/safe-next.ts';
import type { SignedInPatron } from '../../sessions/resolve-patron.ts';
import type { Acknowledgements } from '../../notices/acknowledgements.ts';
import { computeNoticeFacts, listContractConsents } from '../../minimize/notice-facts.ts';
import { buildRegister } from '../../notices/register-entries.ts';

/**
 * The notices and transparency pages: the notice for each vendor (and the patron's decision), the
 * public register of vendors, and "what vendors see about me" with its revoke buttons.
 */
export function createNoticeRoutes(deps: Pick<PageDeps, 'acknowledgements' | 'clock' | 'contracts' | 'csrf' | 'metrics' | 'origin' | 'pseudonyms' | 'resolver' | 'secure'>): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 50 });
  const services = [...deps.contracts.values()].filter((c) => c.kind !== 'grant');

  /** The signed-in patron, or a redirect to sign in (coming back here). */
  async function requirePatron(req: Request, res: Response): Promise<SignedInPatron | undefined> {
    const signedIn = await deps.resolver.resolve(req, deps.clock());
    if (!signedIn) {
      if (req.method === 'GET') res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      else throw new GatewayError('not_authenticated');
    }
    return signedIn;
  }

  function serviceContract(id: unknown): CompiledContract {
    const contract = typeof id === 'string' ? deps.contracts.get(id) : undefined;
    if (!contract || contract.kind === 'grant') throw new GatewayError('unknown_vendor');
    if (!isContractInForce(contract, deps.clock())) throw new GatewayError('vendor_closed', { vendorName: contract.name });
    return contract;
  }

  router.get('/notices/:vendor', async (req, res) => {
    const signedIn = await requirePatron(req, res);
    if (!signedIn) return;
    const contract = serviceContract(req.params['vendor']);
    const now = deps.clock();
    const facts = computeNoticeFacts(signedIn.patron, contract, deps.pseudonyms, now);
    if (facts.access === 'blocked') {
      throw new GatewayError(facts.block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { vendorName: contract.name });
    }
    const acks = await deps.acknowledgements.read(req, signedIn.patron.patronId);
    const previous = acks[contract.id];
    deps.metrics.countNotice(contract.id, 'shown');
    res.type('html').send(
      renderNoticePage({
        m: chooseLanguage(req, signedIn.patron.language),
        contract,
        facts,
        next: resolveSafeNext(req.query['next'] ?? `/v/${contract.id}/`, deps.origin),
        back: resolveSafeNext(req.query['back'], deps.origin),
        csrf: deps.csrf.issue(req, res),
        ticked: previous && previous.version === contract.noticeVersion ? previous.consents : [],
      }),
    );
  });

  router.post('/notices/:vendor', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    const signedIn = await requirePatron(req, res);
    if (!signedIn) return;
    const contract = serviceContract(req.params['vendor']);
    const decision = body['decision'];
    if (decision === 'decline') {
      deps.metrics.countNotice(contract.id, 'declined');
      deps.metrics.countRequest(contract.id, 'declined');
      res.redirect(303, resolveSafeNext(body['back'], deps.origin));
      return;
    }
    if (decision !== 'accept') throw new GatewayError('bad_request');
    const facts = computeNoticeFacts(signedIn.patron, contract, deps.pseudonyms, deps.clock());
    if (facts.access === 'blocked') throw new GatewayError(facts.block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { vendorName: contract.name });
    const offered = new Set(listContractConsents(contract));
    const chosen = [body['consent'] ?? []].flat().filter((c): c is string => typeof c === 'string' && offered.has(c));
    const acks: Acknowledgements = {
      ...(await deps.acknowledgements.read(req, signedIn.patron.patronId)),
      [contract.id]: { version: contract.noticeVersion, consents: [...new Set(chosen)], at: Math.floor(deps.clock().getTime() / 1000) },
    };
    res.append('Set-Cookie', await deps.acknowledgements.write(signedIn.patron.patronId, acks, deps.secure));
    deps.metrics.countNotice(contract.id, 'accepted');
    res.redirect(303, resolveSafeNext(body['next'] ?? `/v/${contract.id}/`, deps.origin));
  });

  router.get('/privacy/vendors', async (req, res) => {
    const signedIn = await deps.resolver.resolve(req, deps.clock());
    res.type('html').send(renderRegisterPage({ m: chooseLanguage(req, signedIn?.patron.language), entries: buildRegister(deps.contracts.values(), deps.clock()), signedIn: signedIn !== undefined, csrf: deps.csrf.issue(req, res) }));
  });

  router.get('/privacy/vendors.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json({ vendors: buildRegister(deps.contracts.values(), deps.clock()) });
  });

  router.get('/me/sharing', async (req, res) => {
    const signedIn = await requirePatron(req, res);
    if (!signedIn) return;
    const now = deps.clock();
    const acks = await deps.acknowledgements.read(req, signedIn.patron.patronId);
    const rows = services.map((contract) => {
      const ack = acks[contract.id];
      const current = ack && ack.version === contract.noticeVersion ? ack : undefined;
      return {
        contract,
        result: minimize({ ...signedIn.patron, consents: current?.consents ?? [] }, contract, deps.pseudonyms, now),
        ...(current ? { acknowledgement: current } : {}),
      };
    });
    res.type('html').send(renderSharingPage({ m: chooseLanguage(req, signedIn.patron.language), patron: signedIn.patron, rows, csrf: deps.csrf.issue(req, res) }));
  });

  router.post('/me/sharing/revoke', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    const signedIn = await requirePatron(req, res);
    if (!signedIn) return;
    const vendor = typeof body['vendor'] === 'string' ? body['vendor'] : '';
    const contract = deps.contracts.get(vendor);
    if (!contract) throw new GatewayError('unknown_vendor');
    const acks: Record<string, Acknowledgements[string]> = { ...(await deps.acknowledgements.read(req, signedIn.patron.patronId)) };
    const current = acks[vendor];
    if (current) {
      if (body['what'] === 'consent') acks[vendor] = { ...current, consents: current.consents.filter((c) => c !== body['consent']) };
      else delete acks[vendor];
      res.append('Set-Cookie', await deps.acknowledgements.write(signedIn.patron.patronId, acks, deps.secure));
      deps.metrics.countNotice(vendor, 'revoked');
    }
    res.redirect(303, '/me/sharing');
  });
  return router;
}
