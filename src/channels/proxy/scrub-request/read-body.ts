import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../../../errors/gateway-error.ts';

/**
 * Reads a request body up to `limit` bytes; beyond it, 413 (the rest is not read, and the error
 * catalogue closes the connection). A client that goes away mid-body fails the read.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // No Content-Length (a chunked body) reads as NaN, which is never over the limit.
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(new GatewayError('body_too_large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.pause();
        reject(new GatewayError('body_too_large'));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      done();
      reject(new GatewayError('bad_request', { cause: error }));
    };
    const onAborted = (): void => onError(new Error('client aborted'));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('aborted', onAborted);
  });
}
