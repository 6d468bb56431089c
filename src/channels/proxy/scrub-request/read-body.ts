import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../../../errors/gateway-error.ts';

/** Reads a request body up to `limit` bytes; beyond it, 413 (and the rest is not read). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new GatewayError('body_too_large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new GatewayError('body_too_large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
