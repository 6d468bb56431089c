import type { IncomingMessage } from 'node:http';
import { readCookie } from '../../lib/cookies.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import type { Messages } from './messages.ts';

/** Every catalogue the gateway ships, by language code. */
export const CATALOGUES: ReadonlyMap<string, Messages> = new Map([
  ['en', en],
  ['es', es],
]);

export const LANGUAGE_COOKIE = 'gw_lang';

/**
 * The language for a page: the patron's explicit choice (the switch on every page sets a cookie),
 * then the patron record's `language`, then the browser's Accept-Language, then English.
 */
export function chooseLanguage(req: IncomingMessage, patronLanguage?: string): Messages {
  const chosen = readCookie(req, LANGUAGE_COOKIE);
  if (chosen && CATALOGUES.has(chosen)) return CATALOGUES.get(chosen) as Messages;
  const fromPatron = patronLanguage?.toLowerCase().slice(0, 2);
  if (fromPatron && CATALOGUES.has(fromPatron)) return CATALOGUES.get(fromPatron) as Messages;
  for (const part of (req.headers['accept-language'] ?? '').split(',')) {
    const code = part.split(';')[0]?.trim().toLowerCase().slice(0, 2);
    if (code && CATALOGUES.has(code)) return CATALOGUES.get(code) as Messages;
  }
  return en;
}
