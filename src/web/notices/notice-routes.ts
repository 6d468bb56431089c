import express, { Router, type Request, type Response } from 'express';
import { readVerifiedForm } from '../read-verified-form.ts';
import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { isContractInForce } from '../../contracts/contract-status.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { PageDeps } from '../page-deps.ts';
import { chooseLanguage } from '../messages/choose-language.ts';
import { renderNoticePage, type NoticeAudience } from './notice-page.ts';
import { renderRegisterPage } from '../register/register-page.ts';
import { renderSharingPage, type SharingDone } from '../sharing/sharing-page.ts';
import { computeAge } from '../../policy/age.ts';
import type { Patron } from '../../policy/patron.ts';
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
export function createNoticeRoutes(deps: Pick<PageDeps, 'acknowledgements' | 'clock' | 'contracts' | 'csrf' | 'metrics' | 'origin' | 'pseudonyms' | 'resolver' | 'secure' | 'brand'>): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 50 });
  const services = [...deps.contracts.values()].filter((c) => c.kind !== 'grant');
  const texts = new Map([...deps.contracts.values()].map((c) => [c.id, { purpose: c.purposeText, consents: c.consentLabels }]));

  /** Who a notice is written for: under 13 or without a (real) date of birth, optional sharing needs a parent or guardian. */
  function audienceOf(patron: Patron, now: Date): NoticeAudience {
    const age = patron.birthDate === undefined ? undefined : computeAge(patron.birthDate, now);
    return age === undefined ? 'unknown-age' : age < 13 ? 'child' : 'adult';
  }

  /** The confirmation a redirect's query names: only known vendor ids and the consents their contracts name. */
  function readDone(query: Request['query']): SharingDone | undefined {
    const contract = typeof query['vendor'] === 'string' ? deps.contracts.get(query['vendor']) : undefined;
    if (!contract) return undefined;
    if (query['done'] === 'acknowledgement-withdrawn') return { kind: 'acknowledgement-withdrawn', contract };
    const consent = query['consent'];
    if ((query['done'] === 'consent-withdrawn' || query['done'] === 'consent-given') && typeof consent === 'string' && listContractConsents(contract).includes(consent)) {
      return { kind: query['done'], contract, consent };
    }
    return undefined;
  }

  function blockedError(contract: CompiledContract, block: string | undefined, patron: Patron, now: Date): GatewayError {
    return new GatewayError(block === 'parental-consent-required' ? 'parental_consent_required' : 'minor_blocked', { vendorName: contract.name, ageUnknown: audienceOf(patron, now) === 'unknown-age' });
  }

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
    if (facts.access === 'blocked') throw blockedError(contract, facts.block, signedIn.patron, now);
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
        audience: audienceOf(signedIn.patron, now),
        brand: deps.brand,
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
    const now = deps.clock();
    const facts = computeNoticeFacts(signedIn.patron, contract, deps.pseudonyms, now);
    if (facts.access === 'blocked') throw blockedError(contract, facts.block, signedIn.patron, now);
    // A child (or a patron without a date of birth) is not offered optional sharing: none is taken.
    const offered = new Set(audienceOf(signedIn.patron, now) === 'adult' ? listContractConsents(contract) : []);
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
    res.type('html').send(renderRegisterPage({ m: chooseLanguage(req, signedIn?.patron.language), entries: buildRegister(deps.contracts.values(), deps.clock()), signedIn: signedIn !== undefined, csrf: deps.csrf.issue(req, res), brand: deps.brand, texts }));
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
        closed: !isContractInForce(contract, now),
        result: minimize({ ...signedIn.patron, consents: current?.consents ?? [] }, contract, deps.pseudonyms, now),
        ...(current ? { acknowledgement: current } : {}),
      };
    });
    const done = readDone(req.query);
    res.type('html').send(
      renderSharingPage({ m: chooseLanguage(req, signedIn.patron.language), patron: signedIn.patron, rows, csrf: deps.csrf.issue(req, res), brand: deps.brand, mayConsent: audienceOf(signedIn.patron, now) === 'adult', ...(done ? { done } : {}) }),
    );
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
    const consent = typeof body['consent'] === 'string' ? body['consent'] : '';
    const withdrawConsent = body['what'] === 'consent';
    if (current) {
      if (withdrawConsent) acks[vendor] = { ...current, consents: current.consents.filter((c) => c !== consent) };
      else delete acks[vendor];
      res.append('Set-Cookie', await deps.acknowledgements.write(signedIn.patron.patronId, acks, deps.secure));
      deps.metrics.countNotice(vendor, 'revoked');
    }
    res.redirect(303, withdrawConsent ? `/me/sharing?done=consent-withdrawn&vendor=${encodeURIComponent(vendor)}&consent=${encodeURIComponent(consent)}` : `/me/sharing?done=acknowledgement-withdrawn&vendor=${encodeURIComponent(vendor)}`);
  });

  // Turning optional sharing back on for a service whose current notice the patron accepted (adults only).
  router.post('/me/sharing/share', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    const signedIn = await requirePatron(req, res);
    if (!signedIn) return;
    const contract = serviceContract(body['vendor']);
    const consent = typeof body['consent'] === 'string' ? body['consent'] : '';
    const now = deps.clock();
    if (!listContractConsents(contract).includes(consent)) throw new GatewayError('bad_request');
    if (audienceOf(signedIn.patron, now) !== 'adult') throw new GatewayError('forbidden');
    const acks: Record<string, Acknowledgements[string]> = { ...(await deps.acknowledgements.read(req, signedIn.patron.patronId)) };
    const current = acks[contract.id];
    // Without an accepted current notice, the notice comes first (and offers the choice).
    if (!current || current.version !== contract.noticeVersion) {
      res.redirect(303, `/notices/${contract.id}?next=${encodeURIComponent('/me/sharing')}&back=${encodeURIComponent('/me/sharing')}`);
      return;
    }
    acks[contract.id] = { ...current, consents: [...new Set([...current.consents, consent])] };
    res.append('Set-Cookie', await deps.acknowledgements.write(signedIn.patron.patronId, acks, deps.secure));
    deps.metrics.countNotice(contract.id, 'accepted');
    res.redirect(303, `/me/sharing?done=consent-given&vendor=${encodeURIComponent(contract.id)}&consent=${encodeURIComponent(consent)}`);
  });
  return router;
}
