import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import { HOST_COOKIE_PREFIX, readCookie } from '../../lib/cookies.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import type { Messages } from './messages.ts';

/** Every catalogue the gateway ships, by language code. */
export const CATALOGUES: ReadonlyMap<string, Messages> = new Map([
  ['en', en],
  ['es', es],
]);

export const LANGUAGE_COOKIE = 'gw_lang';

const LANGUAGE_CODES = [...CATALOGUES.keys()];

/**
 * The language for a page: the patron's explicit choice (the switch on every page sets a cookie),
 * then the patron record's `language`, then the browser's Accept-Language, then English.
 */
export function chooseLanguage(req: IncomingMessage, patronLanguage?: string): Messages {
  // `__Host-gw_lang` on https, `gw_lang` on http (this is called without knowing which: a language
  // is the one gateway cookie whose planted copy could do no more than switch the language).
  const chosen = readCookie(req, `${HOST_COOKIE_PREFIX}${LANGUAGE_COOKIE}`) ?? readCookie(req, LANGUAGE_COOKIE);
  if (chosen && CATALOGUES.has(chosen)) return CATALOGUES.get(chosen) as Messages;
  const fromPatron = patronLanguage?.toLowerCase().slice(0, 2);
  if (fromPatron && CATALOGUES.has(fromPatron)) return CATALOGUES.get(fromPatron) as Messages;
  // Accept-Language with q-values ("es;q=0.9, en;q=0.8", "es-MX"); English when nothing matches.
  const header = req.headers['accept-language'];
  if (header) {
    const best = new Negotiator({ headers: { 'accept-language': header } }).language(LANGUAGE_CODES);
    if (best !== undefined) return CATALOGUES.get(best) ?? en;
  }
  return en;
}
