import express, { Router } from 'express';
import { readVerifiedForm } from '../read-verified-form.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { CATALOGUES, chooseLanguage, LANGUAGE_COOKIE } from '../messages/choose-language.ts';
import { renderHomePage } from '../home/home-page.ts';
import { renderLoginPage } from './login-page.ts';
import { serializeCookie, SESSION_COOKIE } from '../../lib/cookies.ts';
import { resolveSafeNext } from '../../sessions/safe-next.ts';
import type { PageDeps } from '../page-deps.ts';

/** The front page, sign-in and sign-out, and the language switch. */
export function createPatronRoutes(deps: Pick<PageDeps, 'clock' | 'contracts' | 'csrf' | 'limiter' | 'logger' | 'origin' | 'patrons' | 'resolver' | 'secure' | 'sessions' | 'settings'>): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const contractList = [...deps.contracts.values()];

  router.get('/', async (req, res) => {
    const signedIn = await deps.resolver.resolve(req, deps.clock());
    res.type('html').send(renderHomePage({ m: chooseLanguage(req, signedIn?.patron.language), contracts: contractList, signedIn: signedIn !== undefined, csrf: deps.csrf.issue(req, res) }));
  });

  router.get('/login', (req, res) => {
    const next = resolveSafeNext(req.query['next'], deps.origin);
    res.type('html').send(renderLoginPage({ m: chooseLanguage(req), next, csrf: deps.csrf.issue(req, res), demoHint: deps.settings.demo }));
  });

  router.post('/login', form, async (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    const wait = deps.limiter.hit(req.socket.remoteAddress ?? 'unknown', deps.clock());
    if (wait !== undefined) {
      res.setHeader('Retry-After', String(wait));
      throw new GatewayError('rate_limited');
    }
    const next = resolveSafeNext(body['next'], deps.origin);
    const barcode = typeof body['barcode'] === 'string' ? body['barcode'].slice(0, 64) : '';
    const pin = typeof body['pin'] === 'string' ? body['pin'].slice(0, 128) : '';
    const patron = await deps.patrons.authenticate(barcode, pin);
    if (!patron) {
      deps.logger.info('login failed', { code: 'login_failed' });
      res.status(401).type('html').send(renderLoginPage({ m: chooseLanguage(req), next, csrf: deps.csrf.issue(req, res), failed: true, demoHint: deps.settings.demo }));
      return;
    }
    const { token } = await deps.sessions.seal(patron.patronId, deps.clock());
    res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, token, { maxAge: deps.settings.limits.sessionTtlSeconds, secure: deps.secure }));
    deps.logger.info('login', { code: 'login_ok' });
    res.redirect(303, next);
  });

  router.post('/logout', form, (req, res) => {
    const body = readVerifiedForm(req, deps.csrf);
    res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', { maxAge: 0, secure: deps.secure }));
    res.redirect(303, '/');
  });

  router.get('/language/:lang', (req, res) => {
    const lang = String(req.params['lang'] ?? '');
    if (!CATALOGUES.has(lang)) throw new GatewayError('not_found');
    res.append('Set-Cookie', serializeCookie(LANGUAGE_COOKIE, lang, { maxAge: 31_536_000, secure: deps.secure }));
    res.redirect(303, resolveSafeNext(req.query['next'], deps.origin));
  });
  return router;
}
