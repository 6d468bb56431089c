import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BLANK_SUMMARY, type PatronInformationRequest } from '../../src/sip2/messages/patron-information.ts';
import { Sip2ClientError } from '../../src/sip2/sip2-client-error.ts';
import { Sip2FormatError } from '../../src/sip2/sip2-format-error.ts';
import { openSip2Connection, type Sip2Connection, type Sip2ConnectionOptions } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { signed, startScriptedServer, type ScriptedServer } from '../helpers/scripted-sip2-server.ts';

// Which answers the client connection takes, and what it does with the ones it must not trust:
// the sequence number is checked only when the answer carries one and error detection is on,
// text is UTF-8 unless told otherwise, the message cap is the caller's, a message nobody asked
// for closes the connection, and a request that cannot be rendered is never sent.

const REQUEST: PatronInformationRequest = { code: '63', language: '000', transactionDate: '20261129   Z120000', summary: BLANK_SUMMARY, institutionId: 'UWOLS', patronIdentifier: 'djfiander', terminalPassword: '', patronPassword: '6789' };
const ANSWER_64 = '64  Y           00020261129    061540000000000000000000000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQY|';
const STATUS_98 = '98YNNYNN60000320261129    0615402.00AOUWOLS|';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const sequenceOf = (line: string): string => /AY(\d)AZ/.exec(line)?.[1] ?? '0';

let server: ScriptedServer | undefined;
let ils: FakeIls | undefined;
let connection: Sip2Connection | undefined;
afterEach(async () => {
  connection?.close();
  connection = undefined;
  await server?.close();
  server = undefined;
  await ils?.close();
  ils = undefined;
});

/** A server that answers the 99 properly (echoing AY when there is one) and lets `patron` answer the rest. */
async function scripted(patron: (line: string, socket: Socket) => void): Promise<ScriptedServer> {
  return startScriptedServer((line, _index, socket) => {
    if (!line.startsWith('99')) patron(line, socket);
    else if (line.includes('AZ')) socket.write(`${signed(`${STATUS_98}AY${sequenceOf(line)}AZ`)}\r`);
    else socket.write(`${STATUS_98}\r`);
  });
}

async function outcome(promise: Promise<unknown>): Promise<unknown> {
  return promise.then((value) => value, (caught: unknown) => caught);
}

describe('what the SIP2 client connection accepts as an answer', () => {
  it.each<[string, Partial<Sip2ConnectionOptions>, (line: string) => string]>([
    ['a checksummed answer without AY (a server that does not echo sequence numbers) is taken', {}, () => signed(`${ANSWER_64}AZ`)],
    ['without error detection, an answer with any AY is taken (the number is not ours to check)', { errorDetection: false }, () => signed(`${ANSWER_64}AY7AZ`)],
    ['without error detection, an answer without a trailer is taken', { errorDetection: false }, () => ANSWER_64],
  ])('%s', async (_name, options, answer) => {
    server = await scripted((line, socket) => socket.write(`${answer(line)}\r`));
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port, ...options });
    expect(await connection.exchange(REQUEST, '64')).toMatchObject({ validPatron: true, validPatronPassword: true, personalName: 'David J. Fiander' });
    expect(connection.isOpen()).toBe(true);
  });

  it('with error detection, the answer’s AY must still be ours (a server that stamps another number is refused)', async () => {
    server = await scripted((line, socket) => socket.write(`${signed(`${ANSWER_64}AY${(Number(sequenceOf(line)) + 1) % 10}AZ`)}\r`));
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port });
    const error = await outcome(connection.exchange(REQUEST, '64'));
    expect(error).toMatchObject({ reason: 'sequence_mismatch' });
  });

  it('speaks UTF-8 by default: a card and a name outside ASCII travel and come back intact', async () => {
    ils = await startFakeIls({ patrons: [{ barcode: 'núñez', pin: '1234', name: 'Zoë Núñez' }] });
    connection = await openSip2Connection({ host: ils.host, port: ils.port });
    const answer = await connection.exchange({ ...REQUEST, patronIdentifier: 'núñez', patronPassword: '1234' }, '64');
    expect(answer).toMatchObject({ validPatron: true, validPatronPassword: true, patronIdentifier: 'núñez', personalName: 'Zoë Núñez' });
  });

  it('in Latin-1 when told: the same card travels as one byte per letter', async () => {
    server = await scripted((line, socket) => {
      const card = /AA([^|]*)\|/.exec(line)?.[1] ?? '';
      socket.write(Buffer.from(`${signed(`${ANSWER_64.replace('AAdjfiander', `AA${card}`)}AY${sequenceOf(line)}AZ`)}\r`, 'latin1'));
    });
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port, encoding: 'latin1' });
    const answer = await connection.exchange({ ...REQUEST, patronIdentifier: 'núñez' }, '64');
    expect(answer.patronIdentifier).toBe('núñez');
    // The scripted server reads Latin-1: one character per byte, so UTF-8 would have shown as two.
    expect(server.lines.at(-1)).toContain('AAnúñez|');
  });

  it('honours maxMessageBytes: an answer longer than the cap is garbage and the connection closes', async () => {
    server = await scripted((line, socket) => socket.write(`${signed(`${ANSWER_64}AY${sequenceOf(line)}AZ`)}\r`));
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port, maxMessageBytes: 100 });
    const error = await outcome(connection.exchange(REQUEST, '64'));
    expect(error).toMatchObject({ reason: 'garbage' });
    expect(connection.isOpen()).toBe(false);
  });

  it('a message the server sends while nothing was asked closes the connection (the stream cannot be trusted)', async () => {
    let peer: Socket | undefined;
    server = await scripted((line, socket) => {
      peer = socket;
      socket.write(`${signed(`${ANSWER_64}AY${sequenceOf(line)}AZ`)}\r`);
    });
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port });
    expect((await connection.exchange(REQUEST, '64')).code).toBe('64');
    expect(connection.isOpen()).toBe(true);
    peer?.write(`${signed(`${ANSWER_64}AY3AZ`)}\r`);
    await pause(50);
    expect(connection.isOpen()).toBe(false);
    expect(await outcome(connection.exchange(REQUEST, '64'))).toMatchObject({ reason: 'closed' });
  });

  it('a request that cannot be rendered is never sent: garbage (caused by the format error), and the connection closes', async () => {
    server = await scripted((line, socket) => socket.write(`${signed(`${ANSWER_64}AY${sequenceOf(line)}AZ`)}\r`));
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port });
    const sent = server.lines.length;
    const error = await outcome(connection.exchange({ ...REQUEST, language: '0' }, '64'));
    expect(error).toBeInstanceOf(Sip2ClientError);
    expect(error).toMatchObject({ reason: 'garbage' });
    expect((error as Sip2ClientError).cause).toBeInstanceOf(Sip2FormatError);
    expect(connection.isOpen()).toBe(false);
    await pause(30);
    expect(server.lines.length).toBe(sent);
  });
});

describe('how often the SIP2 client connection asks again', () => {
  it.each<[string, (line: string) => string, string, (lines: string[]) => void]>([
    ['a server that always answers 96: the request is sent twice, then garbage', () => '96AZFEF6', 'garbage', (lines) => expect(lines.filter((line) => line.startsWith('63'))).toHaveLength(2)],
    ['a checksum that stays wrong: one 97, then bad_checksum', (line) => `${ANSWER_64}AY${line.startsWith('97') ? 0 : sequenceOf(line)}AZ0000`, 'bad_checksum', (lines) => expect(lines.filter((line) => line.startsWith('97'))).toHaveLength(1)],
    ['bytes that are not SIP2: no 97 (only a wrong checksum is worth one), garbage', () => 'HTTP/1.1 400 Bad Request', 'garbage', (lines) => expect(lines.filter((line) => line.startsWith('97'))).toHaveLength(0)],
  ])('%s', async (_name, answer, reason, check) => {
    server = await scripted((line, socket) => socket.write(`${answer(line)}\r`));
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port });
    expect(await outcome(connection.exchange(REQUEST, '64'))).toMatchObject({ reason });
    check(server.lines);
    expect(connection.isOpen()).toBe(false);
  });

  it('a connection the ILS resets (RST) while idle closes quietly: no crash, and the next request fails with closed', async () => {
    let peer: Socket | undefined;
    server = await scripted((line, socket) => {
      peer = socket;
      socket.write(`${signed(`${ANSWER_64}AY${sequenceOf(line)}AZ`)}\r`);
    });
    connection = await openSip2Connection({ host: '127.0.0.1', port: server.port });
    expect((await connection.exchange(REQUEST, '64')).code).toBe('64');
    const closed = new Promise<void>((resolve) => connection?.onClose(resolve));
    peer?.resetAndDestroy();
    await closed;
    expect(connection.isOpen()).toBe(false);
    expect(await outcome(connection.exchange(REQUEST, '64'))).toMatchObject({ reason: 'closed' });
  });
});
