import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error.ts';
import { renderErrorPage } from '../pages/error-page.ts';
import { chooseLanguage } from '../i18n/choose-language.ts';
import { clientWantsHtml } from './client-wants-html.ts';

/** Answers with an error: a page for browsers, JSON for API clients. Headers already sent: the connection is cut instead. */
export function sendError(req: IncomingMessage, res: ServerResponse, error: GatewayError, options: { vendorName?: string; headers?: Record<string, string> } = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const wantsHtml = clientWantsHtml(req);
  const body = wantsHtml ? renderErrorPage(chooseLanguage(req), error, options.vendorName ?? error.vendorName) : JSON.stringify(error.toPublicBody());
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.setHeader('Content-Type', wantsHtml ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  if (wantsHtml) res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Any thrown value as a GatewayError (unknown errors become `internal`, their details kept out of the response). */
export function toGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : new GatewayError('internal', { cause: error });
}
