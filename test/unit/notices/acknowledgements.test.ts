import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAcknowledgementStore, type Acknowledgements } from '../../../src/notices/acknowledgements.ts';

const PSEUDONYM_SECRET = Buffer.alloc(32, 0x51);
const SESSION_KEY = Buffer.alloc(32, 0x52);
const OTHER = Buffer.alloc(32, 0x53);
const CHOICES: Acknowledgements = { books: { version: 'v1', consents: ['share-email'], at: 1_790_000_000 } };

function requestWith(setCookie: string): IncomingMessage {
  return { headers: { cookie: setCookie.split(';')[0] } } as IncomingMessage;
}

describe('notice choices cookie keys', () => {
  it.each([
    ['written and read under the pseudonym secret (a session-key rotation leaves it alone)', { key: PSEUDONYM_SECRET }, { key: PSEUDONYM_SECRET, acceptKeys: [OTHER] }, CHOICES],
    ['a cookie sealed under the session key (before the notices key moved) is still read while that key is accepted', { key: SESSION_KEY }, { key: PSEUDONYM_SECRET, acceptKeys: [OTHER, SESSION_KEY] }, CHOICES],
    ['a cookie sealed under a key no longer accepted reads as no choice at all (the notice is shown again)', { key: SESSION_KEY }, { key: PSEUDONYM_SECRET, acceptKeys: [OTHER] }, {}],
    ['accepted keys are read, never written: a cookie written under the pseudonym secret is not readable with the session key alone', { key: PSEUDONYM_SECRET, acceptKeys: [SESSION_KEY] }, { key: SESSION_KEY }, {}],
  ])('%s', async (_name, writer, reader, expected) => {
    const cookie = await createAcknowledgementStore(writer).write('patron-1', CHOICES, false);
    expect(await createAcknowledgementStore(reader).read(requestWith(cookie), 'patron-1')).toEqual(expected);
  });
});
