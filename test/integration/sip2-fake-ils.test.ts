import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeIls, startFakeIls } from '../helpers/fake-ils.ts';
import { TRANSCRIPT_WITH_ERROR_DETECTION, TRANSCRIPT_WITHOUT_ERROR_DETECTION } from '../helpers/sip2-transcripts.ts';

/** Sends each line over one TCP connection and collects one answer line per request. */
async function replay(ils: FakeIls, requests: ReadonlyArray<string>): Promise<string[]> {
  const socket: Socket = connect(ils.port, ils.host);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.setEncoding('utf8');
  let buffer = '';
  const answers: string[] = [];
  for (const request of requests) {
    socket.write(`${request}\r`);
    while (!buffer.includes('\r')) buffer += await new Promise<string>((resolve) => socket.once('data', resolve));
    const end = buffer.indexOf('\r');
    answers.push(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
  }
  socket.destroy();
  return answers;
}

let ils: FakeIls | undefined;
afterEach(async () => {
  await ils?.close();
  ils = undefined;
});

describe('the fake ILS (test peer) answers as the recorded SIPServer did (reference 8.3)', () => {
  it('with error detection: every answer of the transcript, byte for byte, and it counts each message', async () => {
    ils = await startFakeIls();
    const answers = await replay(ils, TRANSCRIPT_WITH_ERROR_DETECTION.map(({ request }) => request));
    expect(answers).toEqual(TRANSCRIPT_WITH_ERROR_DETECTION.map(({ response }) => response));
    expect(ils.count('63')).toBe(4);
    expect(ils.count('01')).toBe(1);
    expect(ils.received).toHaveLength(TRANSCRIPT_WITH_ERROR_DETECTION.length);
  });

  it('without error detection: the same answers without trailers', async () => {
    ils = await startFakeIls({ date: '20261129    061609' });
    const answers = await replay(ils, TRANSCRIPT_WITHOUT_ERROR_DETECTION.map(({ request }) => request));
    expect(answers).toEqual(TRANSCRIPT_WITHOUT_ERROR_DETECTION.map(({ response }) => response));
  });
});
