import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayError } from '../../errors/gateway-error.ts';
import { clientWantsHtml } from '../../lib/client-wants-html.ts';
import type { Messages } from '../messages/messages.ts';
import { renderErrorPage } from './error-page.ts';
import type { PageBrand } from '../branding/page-brand.ts';

export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * Answers with an error in the patron's language `m`: a page for browsers, JSON for API clients
 * (`{ error, message }`, plus `notice` for notice_required), with the status and headers of the
 * error catalogue. A browser navigating with GET is sent where the error says (sign-in, a notice).
 * Headers already sent: the connection is cut instead.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, m: Messages, error: GatewayError, vendorName?: string, brand?: PageBrand): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const wantsHtml = clientWantsHtml(req);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (error.redirectTo !== undefined && wantsHtml && (req.method === 'GET' || req.method === 'HEAD')) {
    res.statusCode = 303;
    res.setHeader('Location', error.redirectTo);
    res.end();
    return;
  }
  const text = m.errors[error.publicCode];
  const body = wantsHtml
    ? renderErrorPage(m, error, vendorName ?? error.vendorName, brand)
    : JSON.stringify({ error: error.publicCode, message: text.message, ...(error.notice !== undefined ? { notice: error.notice } : {}) });
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', wantsHtml ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8');
  if (wantsHtml) res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}
