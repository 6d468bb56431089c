import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors/gateway-error.ts';
import { createSip2PatronSource, type Sip2PatronSource } from '../../src/patrons/sip2-patron-source.ts';
import type { Sip2Dialect } from '../../src/patrons/sip2-dialect.ts';
import { createSip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, TRANSCRIPT_PATRONS, type FakeIls, type FakePatron } from '../helpers/fake-ils.ts';

const FROZEN = Date.UTC(2026, 10, 29, 12, 0, 0);
const WITH_XI: FakePatron = { barcode: 'card-xi-1', pin: '2468', name: 'Ina Xavier', after: [['XI', 'internal-77']] };

let ils: FakeIls | undefined;
let source: Sip2PatronSource | undefined;
afterEach(async () => {
  source?.close();
  source = undefined;
  await ils?.close();
  ils = undefined;
});

async function start(dialect: Sip2Dialect, patrons: ReadonlyArray<FakePatron> = [...TRANSCRIPT_PATRONS, WITH_XI]): Promise<{ ils: FakeIls; source: Sip2PatronSource }> {
  ils = await startFakeIls({ patrons });
  const target = ils;
  source = createSip2PatronSource({
    pool: createSip2Pool({ size: 1, open: (signal) => openSip2Connection({ host: target.host, port: target.port }, signal) }),
    institution: 'UWOLS',
    dialect,
    timeoutMs: 1000,
    now: () => FROZEN,
    cache: { max: 2, ttlMs: 60_000 },
  });
  return { ils, source };
}

const lookups = (fake: FakeIls): string[] => fake.received.filter((message) => message.code === '63').map((message) => message.text);

describe('the SIP2 patron source: returning requests and staff lookups (a 63 without AD)', () => {
  it('serves a signed-in patron from the per-session cache, with no second trip to the ILS', async () => {
    const { ils: fake, source: patrons } = await start({ nameFormat: 'first last' });
    const signedIn = await patrons.authenticate('djfiander', '6789');
    expect(await patrons.findById('djfiander')).toBe(signedIn);
    expect(lookups(fake)).toHaveLength(1);
  });

  it('on a miss (another node signed the patron in) asks the ILS again with a 63 without AD, and caches the answer', async () => {
    const { ils: fake, source: patrons } = await start({ nameFormat: 'first last' });
    const patron = await patrons.findById('djfiander');
    expect(patron).toMatchObject({ patronId: 'djfiander', firstName: 'David J.' });
    expect(await patrons.findById('djfiander')).toBe(patron);
    const [lookup] = lookups(fake);
    expect(lookup).toMatch(/^63000\d{8}   Z\d{6} {10}AOUWOLS\|AAdjfiander\|AC\|AY\dAZ[0-9A-F]{4}$/);
    expect(lookup).not.toContain('|AD');
    expect(lookups(fake)).toHaveLength(1);
  });

  it('finds nobody for an unknown card (BLN), and a lookup of a valid card needs no CQ', async () => {
    const { source: patrons } = await start({ nameFormat: 'first last' });
    expect(await patrons.findByBarcode('nosuchpatron')).toBeUndefined();
    expect(await patrons.findByBarcode('miker')).toMatchObject({ patronId: 'miker', lastName: 'Rylander' });
    expect(await patrons.findByBarcode('bad|card')).toBeUndefined();
  });

  it('with a dialect patronId (XI): the session id is the internal id; a miss cannot be looked up by it, so the patron signs in again', async () => {
    const { ils: fake, source: patrons } = await start({ nameFormat: 'first last', patronId: 'XI' });
    expect(await patrons.authenticate('card-xi-1', '2468')).toMatchObject({ patronId: 'internal-77', barcode: 'card-xi-1' });
    expect(await patrons.findById('internal-77')).toMatchObject({ patronId: 'internal-77' });
    expect(await patrons.findById('internal-unknown')).toBeUndefined();
    expect(lookups(fake)).toHaveLength(1);
  });

  it('a card that now answers with another id is not the session’s patron', async () => {
    const { source: patrons } = await start({ nameFormat: 'first last' }, [{ barcode: 'old-card', name: 'A B' }]);
    expect(await patrons.findById('not-that-card')).toBeUndefined();
  });

  it('the cache is bounded: the oldest patron is read again after two others', async () => {
    const { ils: fake, source: patrons } = await start({ nameFormat: 'first last' });
    await patrons.authenticate('djfiander', '6789');
    await patrons.findById('miker');
    await patrons.authenticate('card-xi-1', '2468');
    await patrons.findById('djfiander');
    expect(lookups(fake)).toHaveLength(4);
  });

  it('a faulty ILS during a returning request is ils_unavailable, never "signed out" and never a made-up record', async () => {
    const { ils: fake, source: patrons } = await start({ nameFormat: 'first last' });
    fake.setFault('no-bl');
    const error = await patrons.findById('djfiander').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('ils_unavailable');
    expect((error as GatewayError).detail).not.toContain('djfiander');
  });
});
