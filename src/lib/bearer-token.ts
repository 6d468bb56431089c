import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** True when the request carries `Authorization: Bearer <expected>` (compared in constant time). */
export function hasBearerToken(req: IncomingMessage, expected: string): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}
