import express, { Router } from 'express';
import { readVerifiedForm } from '../read-verified-form.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import { CATALOGUES, chooseLanguage, LANGUAGE_COOKIE } from '../messages/choose-language.ts';
import { readSearchQuery, renderHomePage } from '../home/home-page.ts';
import { renderLoginPage } from './login-page.ts';
import { gatewayCookieName, readCookie, serializeCookie, SESSION_COOKIE, STAFF_SESSION_COOKIE } from '../../lib/cookies.ts';
import { CLEAR_SITE_DATA } from './clear-site-data.ts';
import { resolveSafeNext } from '../../sessions/safe-next.ts';
import type { PageDeps } from '../page-deps.ts';

/** The front page, sign-in and sign-out, and the language switch. */
export function createPatronRoutes(deps: Pick<PageDeps, 'clientAddress' | 'clock' | 'contracts' | 'csrf' | 'limiter' | 'logger' | 'requestIdOf' | 'origin' | 'patrons' | 'resolver' | 'secure' | 'sessions' | 'settings' | 'sso' | 'staffSessions' | 'brand'>): Router {
  const router = Router();
  // patrons.source: oidc: the page offers the library's single sign-on, and no card is checked here.
  const sso = deps.sso.patrons ? { name: deps.sso.patrons.name } : undefined;
  const staffSso = deps.sso.staff ? { name: deps.sso.staff.name } : undefined;
  const staffCookie = gatewayCookieName(STAFF_SESSION_COOKIE, deps.secure);
  const form = express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 });
  const contractList = [...deps.contracts.values()];
  const sessionCookie = gatewayCookieName(SESSION_COOKIE, deps.secure);
  const languageCookie = gatewayCookieName(LANGUAGE_COOKIE, deps.secure);

  /** Ends the session this browser holds, if any, on this node at once (a copy of its cookie opens nothing either). */
  async function endSession(req: express.Request): Promise<void> {
    const token = deps.resolver.readToken(req);
    if (token === undefined) return;
    try {
      await deps.sessions.end(token, deps.clock());
    } finally {
      deps.resolver.forget(token);
    }
  }

  router.get('/', async (req, res) => {
    const signedIn = await deps.resolver.resolve(req, deps.clock());
    res.type('html').send(renderHomePage({ m: chooseLanguage(req, signedIn?.patron.language), contracts: contractList, signedIn: signedIn !== undefined, csrf: deps.csrf.issue(req, res), brand: deps.brand, now: deps.clock(), query: readSearchQuery(req.query['q']), staffConsole: deps.settings.admin.staffPatronTypes.includes(signedIn?.patron.patronType ?? '') }));
  });

  router.get('/login', async (req, res) => {
    const next = resolveSafeNext(req.query['next'], deps.origin);
    if (req.query['cleared'] !== '1') {
      // A shared computer: before anyone signs in here, everything the previous visit left goes
      // (its session, ended on this node too, vendor cookies, the HTTP cache, storage). Not in
      // the sign-in response itself: Chromium applies Clear-Site-Data after that response's
      // Set-Cookie, so "cookies" there would take the new session with it. The language the
      // person at the computer chose is carried over.
      await endSession(req);
      const chosen = readCookie(req, languageCookie);
      const lang = chosen !== undefined && CATALOGUES.has(chosen) ? `&lang=${chosen}` : '';
      res.setHeader('Clear-Site-Data', CLEAR_SITE_DATA.signInPage);
      res.redirect(303, `/login?next=${encodeURIComponent(next)}${lang}&cleared=1`);
      return;
    }
    const lang = typeof req.query['lang'] === 'string' ? CATALOGUES.get(req.query['lang']) : undefined;
    if (lang) res.append('Set-Cookie', serializeCookie(languageCookie, lang.lang, { maxAge: 31_536_000, secure: deps.secure }));
    res.type('html').send(renderLoginPage({ m: lang ?? chooseLanguage(req), next, csrf: deps.csrf.issue(req, res), brand: deps.brand, demoHint: deps.settings.demo && !sso, ...(sso ? { sso } : {}), ...(staffSso && next.startsWith('/staff') ? { staffSso } : {}) }));
  });

  router.post('/login', form, async (req, res) => {
    // Patrons sign in at the library's single sign-on: there is no card to check.
    if (sso) throw new GatewayError('not_found');
    const body = readVerifiedForm(req, deps.csrf);
    const barcode = typeof body['barcode'] === 'string' ? body['barcode'].slice(0, 64) : '';
    const pin = typeof body['pin'] === 'string' ? body['pin'].slice(0, 128) : '';
    // Failures are limited per client address (behind the proxies named in trustProxy, the
    // forwarded one) and per card; a success is not counted.
    // Shared state (Redis) down: refused with the state_unavailable page (fails closed).
    const attempt = await deps.limiter.begin(deps.clientAddress(req), barcode, deps.clock());
    if (!attempt.allowed) {
      res.setHeader('Retry-After', String(attempt.wait));
      throw new GatewayError('rate_limited');
    }
    const next = resolveSafeNext(body['next'], deps.origin);
    let patron;
    try {
      patron = await deps.patrons.authenticate(barcode, pin);
    } catch (error) {
      // The library's system could not check the card (the ILS is down, slow or confused): a
      // 503 page saying so, never "wrong PIN"; the try does not count against the card.
      if (error instanceof GatewayError && error.code === 'ils_unavailable') {
        attempt.succeeded();
        deps.logger.warn('login could not be checked', { code: 'ils_unavailable', requestId: deps.requestIdOf?.(req) });
      }
      throw error;
    }
    if (!patron) {
      deps.logger.info('login failed', { code: 'login_failed', requestId: deps.requestIdOf?.(req) });
      res.status(401).type('html').send(renderLoginPage({ m: chooseLanguage(req), next, csrf: deps.csrf.issue(req, res), failed: true, demoHint: deps.settings.demo, brand: deps.brand }));
      return;
    }
    attempt.succeeded();
    // A shared computer: whatever the previous patron left (a session not signed out, the HTTP
    // cache, storage) goes before this patron's session starts.
    await endSession(req);
    const { token } = await deps.sessions.seal(patron.patronId, deps.clock());
    res.setHeader('Clear-Site-Data', CLEAR_SITE_DATA.signIn);
    res.append('Set-Cookie', serializeCookie(sessionCookie, token, { maxAge: deps.settings.limits.sessionTtlSeconds, secure: deps.secure }));
    deps.logger.info('login', { code: 'login_ok', requestId: deps.requestIdOf?.(req) });
    res.redirect(303, next);
  });

  router.post('/logout', form, async (req, res) => {
    readVerifiedForm(req, deps.csrf);
    let ended: unknown;
    try {
      await endSession(req);
      // A staff session from the library's single sign-on (admin.sso) ends too.
      const staffToken = readCookie(req, staffCookie);
      if (staffToken !== undefined) await deps.staffSessions.end(staffToken, deps.clock());
    } catch (error) {
      ended = error;
    }
    // Whatever happens elsewhere, this browser is signed out (and this node refuses the session).
    res.setHeader('Clear-Site-Data', CLEAR_SITE_DATA.signOut);
    res.append('Set-Cookie', serializeCookie(sessionCookie, '', { maxAge: 0, secure: deps.secure }));
    if (readCookie(req, staffCookie) !== undefined) res.append('Set-Cookie', serializeCookie(staffCookie, '', { maxAge: 0, secure: deps.secure }));
    // The shared state is down: the other nodes could not be told, so the patron sees the 503 page
    // saying so rather than a sign-out that looks complete; they are told when it is back.
    if (ended !== undefined) {
      if (ended instanceof GatewayError && ended.code === 'state_unavailable') deps.logger.warn('sign-out not shared', { code: 'state_unavailable', requestId: deps.requestIdOf?.(req) });
      throw ended;
    }
    res.redirect(303, '/');
  });

  router.get('/language/:lang', (req, res) => {
    const lang = String(req.params['lang'] ?? '');
    if (!CATALOGUES.has(lang)) throw new GatewayError('not_found');
    res.append('Set-Cookie', serializeCookie(languageCookie, lang, { maxAge: 31_536_000, secure: deps.secure }));
    res.redirect(303, resolveSafeNext(req.query['next'], deps.origin));
  });
  return router;
}
