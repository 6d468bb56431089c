import { describe, expect, it } from 'vitest';
import { parsePatronFile } from '../../../src/patrons/file-patron-source.ts';
import type { PatronSource } from '../../../src/patrons/patron-source.ts';
import { createPatronResolver } from '../../../src/sessions/resolve-patron.ts';
import { createMemorySessionRevocations } from '../../../src/sessions/session-revocations.ts';
import { createSessionTokens } from '../../../src/sessions/session-token.ts';
import { NOW } from '../../helpers/contracts.ts';
import { ADULT, makeRequest } from '../channels/proxy/stage-fixtures.ts';

function setup(patrons: PatronSource = parsePatronFile('patrons.yaml', JSON.stringify([ADULT])).source) {
  const revocations = createMemorySessionRevocations();
  const sessions = createSessionTokens({ key: Buffer.alloc(32, 6), ttlSeconds: 3600, revocations });
  const resolver = createPatronResolver({ sessions, patrons, revocations, max: 10, ttlSeconds: 60, cookieName: '__Host-gw_session' });
  return { revocations, sessions, resolver };
}
const withCookie = (cookie: string) => makeRequest({ headers: { cookie } });

describe('patron resolver', () => {
  it('reads the session from the cookie name it is given (the __Host- name on https), and no other', async () => {
    const { sessions, resolver } = setup();
    const { token } = await sessions.seal(ADULT.patronId, NOW);
    expect((await resolver.resolve(withCookie(`__Host-gw_session=${token}`), NOW))?.patron.patronId).toBe(ADULT.patronId);
    expect(await resolver.resolve(withCookie(`gw_session=${token}`), NOW)).toBeUndefined();
    expect(resolver.readToken(withCookie(`__Host-gw_session=${token}`))).toBe(token);
  });

  it('a session ended after it was cached is not served from the cache', async () => {
    const { sessions, resolver } = setup();
    const { token } = await sessions.seal(ADULT.patronId, NOW);
    const req = (): ReturnType<typeof withCookie> => withCookie(`__Host-gw_session=${token}`);
    expect(await resolver.resolve(req(), NOW)).toBeDefined();
    // Warm: answered synchronously from the cache.
    expect(resolver.resolve(req(), NOW)).not.toBeInstanceOf(Promise);
    await sessions.end(token, NOW);
    expect(await resolver.resolve(req(), NOW)).toBeUndefined();
  });

  it('forget() drops the cached patron of a token: the next request opens the session again', async () => {
    const { sessions, resolver } = setup();
    const { token } = await sessions.seal(ADULT.patronId, NOW);
    await resolver.resolve(withCookie(`__Host-gw_session=${token}`), NOW);
    resolver.forget(token);
    expect(resolver.resolve(withCookie(`__Host-gw_session=${token}`), NOW)).toBeInstanceOf(Promise);
  });

  it('a session ended while its patron record was being looked up is neither served nor cached', async () => {
    let release: (() => void) | undefined;
    const source = parsePatronFile('patrons.yaml', JSON.stringify([ADULT])).source;
    const slow: PatronSource = { ...source, findById: (id) => new Promise((resolve) => (release = () => resolve(source.findById(id)))) };
    const { sessions, resolver, revocations } = setup(slow);
    const { token, session } = await sessions.seal(ADULT.patronId, NOW);
    const pending = resolver.resolve(withCookie(`__Host-gw_session=${token}`), NOW);
    // The session is open and the record lookup has started: now sign-out happens.
    while (release === undefined) await new Promise((resolve) => setImmediate(resolve));
    revocations.revoke(session.sid, session.exp, NOW);
    release();
    expect(await pending).toBeUndefined();
    // Not cached either: the next request opens the session again (and finds it ended).
    expect(await resolver.resolve(withCookie(`__Host-gw_session=${token}`), NOW)).toBeUndefined();
  });
});
