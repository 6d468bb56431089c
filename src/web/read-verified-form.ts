import type { Request } from 'express';
import { GatewayError } from '../errors/gateway-error.ts';
import type { CsrfTokens } from '../sessions/csrf.ts';

/** A parsed urlencoded form whose `csrf` field matches the browser's CSRF cookie; 403 otherwise. */
export function readVerifiedForm(req: Request, csrf: CsrfTokens): Record<string, unknown> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (!csrf.verify(req, body['csrf'])) throw new GatewayError('csrf_failed');
  return body;
}
