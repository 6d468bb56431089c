import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { readBody } from '../../../../../src/channels/proxy/scrub-request/read-body.ts';
import { GatewayError } from '../../../../../src/errors/gateway-error.ts';

/** A real IncomingMessage whose body arrives in `chunks` (pushed one per tick), then ends unless told not to. */
function request(headers: Record<string, string>, chunks: ReadonlyArray<string>, end = true): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  let i = 0;
  const next = (): void => {
    const chunk = chunks[i++];
    if (chunk !== undefined) {
      req.push(Buffer.from(chunk));
      setImmediate(next);
    } else if (end) req.push(null);
  };
  setImmediate(next);
  return req;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof GatewayError ? error.code : String(error);
  }
}

describe('readBody', () => {
  it('a body in several chunks is read whole, in order', async () => {
    expect((await readBody(request({}, ['ab', 'cd', 'e']), 10)).toString()).toBe('abcde');
  });

  it('a body in one chunk is returned as it came', async () => {
    expect((await readBody(request({ 'content-length': '3' }, ['abc']), 10)).toString()).toBe('abc');
  });

  it('an empty body is an empty buffer', async () => {
    expect((await readBody(request({}, []), 10)).length).toBe(0);
  });

  it('a chunked body growing past the limit is refused (413) and the rest is not read', async () => {
    const req = request({}, ['12345', '67890', 'x', 'never read']);
    expect(await codeOf(readBody(req, 10))).toBe('body_too_large');
    expect(req.isPaused()).toBe(true);
    expect(req.listenerCount('data')).toBe(0);
  });

  it('a body of exactly the limit is read (the limit is inclusive)', async () => {
    expect((await readBody(request({}, ['12345', '67890']), 10)).length).toBe(10);
  });

  it('a declared length over the limit is refused before anything is read', async () => {
    const req = request({ 'content-length': '11' }, ['1']);
    expect(await codeOf(readBody(req, 10))).toBe('body_too_large');
    expect(req.listenerCount('data')).toBe(0);
  });

  it.each([
    ['an error on the stream', (req: IncomingMessage) => req.destroy(new Error('boom'))],
    ['the patron going away (aborted)', (req: IncomingMessage) => req.emit('aborted')],
  ])('%s fails the read as a bad request, and every listener is removed', async (_name, cut) => {
    const req = request({}, ['ab'], false);
    const reading = readBody(req, 10);
    setTimeout(() => cut(req), 5);
    expect(await codeOf(reading)).toBe('bad_request');
    for (const event of ['data', 'end', 'aborted']) expect(req.listenerCount(event)).toBe(0);
  });

  it('after a complete read no listener of its own is left on the request', async () => {
    const req = request({}, ['ab']);
    await readBody(req, 10);
    for (const event of ['data', 'end', 'error', 'aborted']) expect(req.listenerCount(event)).toBe(0);
  });
});
