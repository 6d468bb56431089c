import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import type { Sip2Dialect } from '../../src/patrons/sip2-dialect.ts';
import { createSip2PatronSource, type Sip2PatronSource } from '../../src/patrons/sip2-patron-source.ts';
import { createSip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, TRANSCRIPT_PATRONS, type FakeIls, type FakePatron } from '../helpers/fake-ils.ts';
import { signed, startScriptedServer } from '../helpers/scripted-sip2-server.ts';

// The SIP2 patron source's own checks, on a real fake ILS: which cards it sends at all, what an
// answer must hold before it is believed, the operator's detail of each fault (the fault's name,
// never the card or the PIN), and what close() leaves behind.

const FROZEN = Date.UTC(2026, 10, 29, 12, 0, 0);
const NO_XI: FakePatron = { barcode: 'card-no-xi', pin: '1357', name: 'Nora Noxi' };
const LONG_CARD = 'c'.repeat(64);

let ils: FakeIls | undefined;
let source: Sip2PatronSource | undefined;
afterEach(async () => {
  source?.close();
  source = undefined;
  await ils?.close();
  ils = undefined;
});

async function start(options: { dialect?: Sip2Dialect; port?: number; ttlMs?: number } = {}): Promise<{ ils: FakeIls; source: Sip2PatronSource }> {
  ils = await startFakeIls({ patrons: [...TRANSCRIPT_PATRONS, NO_XI, { barcode: LONG_CARD, pin: '1', name: 'Long Card' }], slowMs: 400 });
  const target = { host: ils.host, port: options.port ?? ils.port };
  source = createSip2PatronSource({
    pool: createSip2Pool({ size: 1, open: (signal) => openSip2Connection(target, signal) }),
    institution: 'UWOLS',
    dialect: options.dialect ?? { nameFormat: 'first last' },
    timeoutMs: 150,
    now: () => FROZEN,
    cache: { max: 10, ttlMs: options.ttlMs ?? 60_000 },
  });
  return { ils, source };
}

const lookups = (fake: FakeIls): string[] => fake.received.filter((message) => message.code === '63').map((message) => message.text);

async function unavailable(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(GatewayError);
  expect((error as GatewayError).code).toBe('ils_unavailable');
  return (error as GatewayError).detail;
}

describe('the SIP2 patron source checks cards before sending them', () => {
  it.each<[string, string, string, number]>([
    ['spaces around a card are trimmed before it is sent', '  djfiander ', '6789', 1],
    ['a card of 64 characters is sent', LONG_CARD, '1', 1],
    ['a card of 65 characters is not sent (no ILS takes it, and it would only fill a field)', `${LONG_CARD}c`, '1', 0],
    ['a card of spaces only is not sent', '   ', '6789', 0],
    ['a card with a CR is not sent (it would end the message)', 'djfi\rander', '6789', 0],
    ['a card with a LF is not sent', 'djfi\nander', '6789', 0],
  ])('%s', async (_name, card, pin, sent) => {
    const { ils: fake, source: patrons } = await start();
    const patron = await patrons.authenticate(card, pin);
    expect(lookups(fake)).toHaveLength(sent);
    if (sent === 0) expect(patron).toBeUndefined();
    else {
      expect(patron?.barcode).toBe(card.trim());
      expect(lookups(fake)[0]).toContain(`|AA${card.trim()}|AC|AD${pin}|`);
    }
  });

  it('the same card checks apply to staff lookups by card, which also trim', async () => {
    const { ils: fake, source: patrons } = await start();
    expect(await patrons.findByBarcode(' miker ')).toMatchObject({ patronId: 'miker' });
    expect(await patrons.findByBarcode(`${LONG_CARD}c`)).toBeUndefined();
    expect(await patrons.findByBarcode('')).toBeUndefined();
    expect(lookups(fake)).toHaveLength(1);
  });

  it('a wrong PIN is not remembered: the card is then looked up again, not served from the session cache', async () => {
    const { ils: fake, source: patrons } = await start();
    expect(await patrons.authenticate('djfiander', 'wrong')).toBeUndefined();
    expect(await patrons.findById('djfiander')).toMatchObject({ patronId: 'djfiander' });
    expect(lookups(fake)).toHaveLength(2);
    expect(lookups(fake)[1]).not.toContain('|AD');
  });
});

describe('the SIP2 patron source believes only complete answers, and names each fault without the card', () => {
  it.each<[string, Parameters<FakeIls['setFault']>[0], 'authenticate' | 'findByBarcode', string]>([
    ['no answer in time', 'hang', 'authenticate', 'sip2 timeout'],
    ['an answer after the deadline', 'slow', 'findByBarcode', 'sip2 timeout'],
    ['bytes that are not SIP2', 'garbage', 'authenticate', 'sip2 garbage'],
    ['a connection closed without an answer', 'close', 'authenticate', 'sip2 closed'],
    ['a 64 without BL (unknown is not valid)', 'no-bl', 'authenticate', 'sip2 answer without BL'],
    ['a 64 without BL, for a staff lookup', 'no-bl', 'findByBarcode', 'sip2 answer without BL'],
    ['a 64 without CQ although the PIN was sent (not checked is not right)', 'no-cq', 'authenticate', 'sip2 answer without CQ'],
  ])('%s: ils_unavailable, detail "%s"', async (_name, fault, call, detail) => {
    const { ils: fake, source: patrons } = await start();
    fake.setFault(fault);
    const asked = call === 'authenticate' ? patrons.authenticate('djfiander', '6789') : patrons.findByBarcode('djfiander');
    const said = await unavailable(asked);
    expect(said).toBe(detail);
    expect(said).not.toMatch(/djfiander|6789/);
  });

  it('a staff lookup does not need CQ (no PIN was sent)', async () => {
    const { ils: fake, source: patrons } = await start();
    fake.setFault('no-cq');
    expect(await patrons.findByBarcode('djfiander')).toMatchObject({ patronId: 'djfiander' });
  });

  it('a valid card whose answer lacks the dialect’s patronId field is ils_unavailable, not a patron without an id', async () => {
    const { source: patrons } = await start({ dialect: { nameFormat: 'first last', patronId: 'XI' } });
    expect(await unavailable(patrons.authenticate('card-no-xi', '1357'))).toBe("sip2 answer without the dialect's patronId field");
  });

  it('a fault that is not a SIP2 one (a connection that cannot even be attempted) is ils_unavailable too, with a fixed detail', async () => {
    const { source: patrons } = await start({ port: 70_000 });
    expect(await unavailable(patrons.authenticate('djfiander', '6789'))).toBe('sip2 exchange failed');
  });
});

describe('the SIP2 patron source’s session cache', () => {
  it('a returning request whose card now answers under another card number (the ILS rewrote it) is not that session’s patron, and is not cached', async () => {
    const server = await startScriptedServer((line, _index, socket) => {
      const sequence = /AY(\d)AZ/.exec(line)?.[1] ?? '0';
      if (line.startsWith('99')) socket.write(`${signed(`98YNNYNN60000320261129    0615402.00AOUWOLS|AY${sequence}AZ`)}\r`);
      else socket.write(`${signed(`64              00020261129    061540000000000000000000000000AOUWOLS|AADJFIANDER|AEDavid J. Fiander|BLY|AY${sequence}AZ`)}\r`);
    });
    try {
      const patrons = createSip2PatronSource({
        pool: createSip2Pool({ size: 1, open: (signal) => openSip2Connection({ host: '127.0.0.1', port: server.port }, signal) }),
        institution: 'UWOLS',
        dialect: { nameFormat: 'first last' },
        timeoutMs: 1000,
        now: () => FROZEN,
        cache: { max: 10, ttlMs: 60_000 },
      });
      expect(await patrons.findById('djfiander')).toBeUndefined();
      expect(await patrons.findById('djfiander')).toBeUndefined();
      expect(server.lines.filter((line) => line.startsWith('63'))).toHaveLength(2);
      expect(await patrons.findByBarcode('djfiander')).toMatchObject({ patronId: 'DJFIANDER' });
      patrons.close();
    } finally {
      await server.close();
    }
  });

  it('forgets a record after its time to live: the next returning request reads the card again', async () => {
    const { ils: fake, source: patrons } = await start({ ttlMs: 40 });
    await patrons.authenticate('djfiander', '6789');
    expect(await patrons.findById('djfiander')).toMatchObject({ patronId: 'djfiander' });
    expect(lookups(fake)).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await patrons.findById('djfiander');
    expect(lookups(fake)).toHaveLength(2);
  });

  it('close() empties the cache and closes the connections: a remembered patron is no longer served', async () => {
    const { ils: fake, source: patrons } = await start();
    await patrons.authenticate('djfiander', '6789');
    patrons.close();
    expect(await unavailable(patrons.findById('djfiander'))).toBe('sip2 closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.openConnections()).toBe(0);
  });
});
