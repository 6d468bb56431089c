import { describe, expect, it } from 'vitest';
import { EncryptJWT } from 'jose';
import { createSessionTokens } from '../../../src/sessions/session-token.ts';
import { createMemorySessionRevocations } from '../../../src/sessions/session-revocations.ts';

const A = Buffer.alloc(32, 0xa1);
const B = Buffer.alloc(32, 0xb2);
const C = Buffer.alloc(32, 0xc3);
const NOW = new Date('2026-11-29T12:00:00Z');

function tokens(key: Buffer, previousKeys: Buffer[] = []) {
  return createSessionTokens({ key, previousKeys, ttlSeconds: 3600, revocations: createMemorySessionRevocations() });
}

describe('session tokens under rotating keys', () => {
  it.each([
    ['the same key opens its own sessions', A, [], A, [], true],
    ['a previous key still opens the sessions it sealed', A, [], B, [A], true],
    ['any listed previous key opens (not only the first)', A, [], B, [C, A], true],
    ['a removed key opens nothing: the patron signs in again', A, [], B, [], false],
    ['a key listed only as previous never seals: a node that knows only the old key cannot open new sessions', B, [A], A, [], false],
    ['an unrelated key opens nothing', A, [], C, [B], false],
  ])('%s', async (_name, sealKey, sealPrevious, openKey, openPrevious, opens) => {
    const { token, session } = await tokens(sealKey, sealPrevious).seal('patron-1', NOW);
    const opened = await tokens(openKey, openPrevious).open(token, NOW);
    expect(opened === undefined ? undefined : opened.patronId).toBe(opens ? session.patronId : undefined);
  });

  it('a session opened under a previous key still expires and is still ended by sign-out', async () => {
    const { token } = await tokens(A).seal('patron-1', NOW);
    const rotated = tokens(B, [A]);
    expect(await rotated.open(token, new Date(NOW.getTime() + 3601_000))).toBeUndefined();
    expect((await rotated.end(token, NOW))?.patronId).toBe('patron-1');
    expect(await rotated.open(token, NOW)).toBeUndefined();
  });

  it('refuses a previous key shorter than 32 bytes', () => {
    expect(() => tokens(A, [Buffer.alloc(16)])).toThrow(RangeError);
  });
});

describe('session tokens that carry the patron (sign-in at the library single sign-on)', () => {
  const revocations = createMemorySessionRevocations();
  const patronTokens = createSessionTokens({ key: A, ttlSeconds: 3600, revocations });
  const staffTokens = createSessionTokens({ key: A, ttlSeconds: 3600, revocations, issuer: 'patron-privacy-gateway/staff-session' });
  const PATRON = { patronId: 'sso-abc', firstName: 'Ada', consents: ['newsletter'] };

  it('seal the record and the staff mark, and open them again (from the token, not only the cache)', async () => {
    const { token, session } = await patronTokens.seal('sso-abc', NOW, { patron: PATRON, staff: true });
    expect(session).toMatchObject({ patronId: 'sso-abc', patron: PATRON, staff: true });
    const fresh = createSessionTokens({ key: A, ttlSeconds: 3600, revocations });
    expect(await fresh.open(token, NOW)).toMatchObject({ patronId: 'sso-abc', patron: PATRON, staff: true });
    expect(token).not.toContain('Ada');
  });

  it('carry neither when none is given (card sessions stay as they were)', async () => {
    const { token, session } = await patronTokens.seal('p-1', NOW, { staff: false });
    expect(Object.keys(session).sort()).toEqual(['exp', 'patronId', 'sid']);
    const opened = await createSessionTokens({ key: A, ttlSeconds: 3600, revocations }).open(token, NOW);
    expect(Object.keys(opened ?? {}).sort()).toEqual(['exp', 'patronId', 'sid']);
  });

  it('a staff session never opens as a patron session, nor the other way round', async () => {
    const staff = await staffTokens.seal('sso-staff', NOW, { staff: true });
    const patron = await patronTokens.seal('sso-abc', NOW, { patron: PATRON });
    expect(await createSessionTokens({ key: A, ttlSeconds: 3600, revocations }).open(staff.token, NOW)).toBeUndefined();
    expect(await createSessionTokens({ key: A, ttlSeconds: 3600, revocations, issuer: 'patron-privacy-gateway/staff-session' }).open(patron.token, NOW)).toBeUndefined();
  });
});

describe('a carried patron record is taken only when it is the session patron\'s', () => {
  const seal = (claims: Record<string, unknown>) =>
    new EncryptJWT({ sid: 's-1', pid: 'sso-abc', ...claims }).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuer('patron-privacy-gateway/session').setIssuedAt(Math.floor(NOW.getTime() / 1000)).setExpirationTime(Math.floor(NOW.getTime() / 1000) + 60).encrypt(A);
  it.each([
    ['another patron id in the record', { pat: { patronId: 'sso-other' } }, undefined, undefined],
    ['a list instead of a record', { pat: [{ patronId: 'sso-abc' }] }, undefined, undefined],
    ['null', { pat: null }, undefined, undefined],
    ['a staff mark that is not exactly true', { pat: { patronId: 'sso-abc' }, stf: 'yes' }, { patronId: 'sso-abc' }, undefined],
    ['both as sealed by the gateway', { pat: { patronId: 'sso-abc' }, stf: true }, { patronId: 'sso-abc' }, true],
  ])('%s', async (_name, claims, patron, staff) => {
    const opened = await createSessionTokens({ key: A, ttlSeconds: 3600, revocations: createMemorySessionRevocations() }).open(await seal(claims), NOW);
    expect(opened?.patronId).toBe('sso-abc');
    expect(opened?.patron).toEqual(patron);
    expect(opened?.staff).toBe(staff);
  });
});
