import { describe, expect, it } from 'vitest';
import { createIdentifyStage } from '../../../../../src/channels/proxy/identify/identify-stage.ts';
import { SESSION_COOKIE } from '../../../../../src/lib/cookies.ts';
import { parsePatronFile } from '../../../../../src/patrons/file-patron-source.ts';
import { createPatronResolver } from '../../../../../src/sessions/resolve-patron.ts';
import { createSessionTokens } from '../../../../../src/sessions/session-token.ts';
import { createMemorySessionRevocations } from '../../../../../src/sessions/session-revocations.ts';
import { NOW } from '../../../../helpers/contracts.ts';
import { ADULT, makeContext, makeRequest, runStage, runStageError } from '../stage-fixtures.ts';

const TTL_SECONDS = 3600;
const revocations = createMemorySessionRevocations();
const sessions = createSessionTokens({ key: Buffer.alloc(32, 7), ttlSeconds: TTL_SECONDS, revocations });
const otherSessions = createSessionTokens({ key: Buffer.alloc(32, 9), ttlSeconds: TTL_SECONDS, revocations });
const patrons = parsePatronFile('patrons.yaml', JSON.stringify([ADULT]));
const stage = createIdentifyStage({ resolver: createPatronResolver({ sessions, patrons: patrons.source, revocations, max: 10, ttlSeconds: 60 }) });

const signedIn = (await sessions.seal(ADULT.patronId, NOW)).token;
const forAnotherKey = (await otherSessions.seal(ADULT.patronId, NOW)).token;
const forAGonePatron = (await sessions.seal('p-gone', NOW)).token;

describe('identify stage', () => {
  it('a valid session cookie gives the context its session, patron and that patron\'s guard', async () => {
    const context = makeContext({ req: makeRequest({ headers: { cookie: `theme=dark; ${SESSION_COOKIE}=${signedIn}` } }) });
    expect(await runStage(stage, context)).toBeUndefined();
    expect(context.patron).toEqual(ADULT);
    expect(context.session).toMatchObject({ patronId: ADULT.patronId, exp: Math.floor(NOW.getTime() / 1000) + TTL_SECONDS });
    // The guard is the patron's own: it finds their barcode and nothing else.
    expect(context.guard?.count(`/search?q=${ADULT.barcode}`)).toBe(1);
    expect(context.guard?.count('/search?q=21234000000000')).toBe(0);
  });

  const late = new Date(NOW.getTime() + (TTL_SECONDS + 1) * 1000);
  it.each([
    ['no cookie at all is not signed in (nothing identifies the patron)', undefined, NOW],
    ['other cookies without the session cookie are not signed in (only the gateway session counts)', 'theme=dark; vc.test-vendor.sid=abc', NOW],
    ['a tampered session token is not signed in (the seal does not open)', `${SESSION_COOKIE}=${signedIn.slice(0, -4)}AAAA`, NOW],
    ['a token sealed under another key is not signed in (another gateway\'s session)', `${SESSION_COOKIE}=${forAnotherKey}`, NOW],
    ['an expired session is not signed in (the session lasted its TTL)', `${SESSION_COOKIE}=${signedIn}`, late],
    ['a session for a patron no longer in the source is not signed in (the record was removed)', `${SESSION_COOKIE}=${forAGonePatron}`, NOW],
  ])('%s', async (_name, cookie, now) => {
    const context = makeContext({ now, req: makeRequest({ url: '/v/test-vendor/books?q=1', headers: cookie === undefined ? {} : { cookie } }) });
    const error = await runStageError(stage, context);
    expect(error.code).toBe('not_authenticated');
    expect(error.status).toBe(401);
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Cookie realm="library"' });
    // A browser comes back to the very page it asked for after signing in.
    expect(error.redirectTo).toBe('/login?next=%2Fv%2Ftest-vendor%2Fbooks%3Fq%3D1');
    expect(context.patron).toBeUndefined();
    expect(context.session).toBeUndefined();
    expect(context.guard).toBeUndefined();
  });
});
