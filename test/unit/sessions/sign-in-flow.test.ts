import type { IncomingMessage } from 'node:http';
import { EncryptJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createSignInFlows, type SignInFlow } from '../../../src/sessions/sign-in-flow.ts';
import { createMemorySingleUseTickets } from '../../../src/sessions/single-use-tickets.ts';

const KEY = Buffer.alloc(32, 0x31);
const OTHER_KEY = Buffer.alloc(32, 0x32);
const NOW = new Date('2026-11-29T12:00:00Z');
const FLOW: SignInFlow = { purpose: 'patron', next: '/me/sharing', state: 'state-1', nonce: 'nonce-1', codeVerifier: 'verifier-1' };

/** A request carrying this Cookie header. */
const requestWith = (cookie: string | undefined): IncomingMessage => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;
/** The name=value of a Set-Cookie line. */
const pairOf = (setCookie: string): string => setCookie.split(';')[0] ?? '';

function flows(options: { key?: Buffer; secure?: boolean; tickets?: ReturnType<typeof createMemorySingleUseTickets> } = {}) {
  return createSignInFlows({ key: options.key ?? KEY, tickets: options.tickets ?? createMemorySingleUseTickets(), secure: options.secure ?? false, ttlSeconds: 600 });
}

describe('sign-in flows bound to the browser', () => {
  it('give back exactly the flow they sealed, from the cookie they set', async () => {
    const made = flows();
    const cookie = await made.begin(FLOW, NOW);
    expect(await made.take(requestWith(pairOf(cookie)), NOW)).toEqual(FLOW);
  });

  it('seal the flow: nothing in the cookie can be read without the key', async () => {
    const cookie = await flows().begin(FLOW, NOW);
    for (const secret of ['state-1', 'nonce-1', 'verifier-1', 'me/sharing']) expect(cookie).not.toContain(secret);
    expect(pairOf(cookie)).toMatch(/^gw_sso=[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['on http: the plain name, HttpOnly, Lax (the provider sends the browser back from another site), ten minutes', false, /^gw_sso=[^;]+; Max-Age=600; Path=\/; HttpOnly; SameSite=Lax$/],
    ['on https: the __Host- name and Secure', true, /^__Host-gw_sso=[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/],
  ])('set their cookie %s', async (_name, secure, pattern) => {
    expect(await flows({ secure }).begin(FLOW, NOW)).toMatch(pattern);
  });

  it.each([
    ['on http', false, /^gw_sso=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax$/],
    ['on https', true, /^__Host-gw_sso=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Lax$/],
  ])('clear their cookie %s', (_name, secure, pattern) => {
    expect(flows({ secure }).clear).toMatch(pattern);
  });

  it('work once: a second take of the same cookie (a replayed callback) gets nothing, on any node sharing the tickets', async () => {
    const tickets = createMemorySingleUseTickets();
    const nodeA = flows({ tickets });
    const nodeB = flows({ tickets });
    const request = requestWith(pairOf(await nodeA.begin(FLOW, NOW)));
    expect(await nodeB.take(request, NOW)).toEqual(FLOW);
    expect(await nodeA.take(requestWith(request.headers.cookie), NOW)).toBeUndefined();
  });

  it.each([
    ['still open just before ten minutes', 599_000, true],
    ['expired at ten minutes', 600_000, false],
    ['expired after', 3_600_000, false],
  ])('expire by the gateway clock: %s', async (_name, later, opens) => {
    const made = flows();
    const cookie = await made.begin(FLOW, NOW);
    expect(await made.take(requestWith(pairOf(cookie)), new Date(NOW.getTime() + later))).toEqual(opens ? FLOW : undefined);
  });

  it('refuse a flow sealed under another key, a tampered one, one too long, a missing one', async () => {
    const made = flows();
    const foreign = pairOf(await flows({ key: OTHER_KEY }).begin(FLOW, NOW));
    expect(await made.take(requestWith(foreign), NOW)).toBeUndefined();
    const own = pairOf(await made.begin(FLOW, NOW));
    const tampered = `${own.slice(0, -3)}${own.endsWith('A') ? 'B' : 'A'}${own.slice(-2)}`;
    expect(await made.take(requestWith(tampered), NOW)).toBeUndefined();
    expect(await made.take(requestWith(`gw_sso=${'a'.repeat(4097)}`), NOW)).toBeUndefined();
    expect(await made.take(requestWith(undefined), NOW)).toBeUndefined();
    expect(await made.take(requestWith('other=1'), NOW)).toBeUndefined();
  });

  it('read the __Host- cookie on https, not the plain one', async () => {
    const made = flows({ secure: true });
    const token = pairOf(await made.begin(FLOW, NOW)).replace('__Host-gw_sso=', '');
    expect(await made.take(requestWith(`gw_sso=${token}`), NOW)).toBeUndefined();
    expect(await made.take(requestWith(`__Host-gw_sso=${token}`), NOW)).toEqual(FLOW);
  });

  const seal = (claims: Record<string, unknown>, issuer = 'patron-privacy-gateway/sign-in-flow') =>
    new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).setIssuer(issuer).setIssuedAt(Math.floor(NOW.getTime() / 1000)).setExpirationTime(Math.floor(NOW.getTime() / 1000) + 60).encrypt(KEY);
  const GOOD = { fid: 'f1', pur: 'staff', nxt: '/staff', st: 's', nc: 'n', cv: 'v' };
  it.each([
    ['a purpose that is neither patron nor staff', { pur: 'admin' }],
    ['no flow id', { fid: 7 }],
    ['no next', { nxt: undefined }],
    ['no state', { st: 1 }],
    ['no nonce', { nc: null }],
    ['no verifier', { cv: ['v'] }],
  ])('refuse a token under the right key with %s', async (_name, change) => {
    const tickets = createMemorySingleUseTickets();
    await tickets.put('f1', 'sign-in', 60);
    const token = await seal({ ...GOOD, ...change });
    expect(await flows({ tickets }).take(requestWith(`gw_sso=${token}`), NOW)).toBeUndefined();
  });

  it('open a well-formed staff flow whose ticket exists, and refuse one sealed for another purpose (issuer)', async () => {
    const tickets = createMemorySingleUseTickets();
    await tickets.put('f1', 'sign-in', 60);
    expect(await flows({ tickets }).take(requestWith(`gw_sso=${await seal({ ...GOOD }, 'patron-privacy-gateway/session')}`), NOW)).toBeUndefined();
    expect(await flows({ tickets }).take(requestWith(`gw_sso=${await seal({ ...GOOD })}`), NOW)).toEqual({ purpose: 'staff', next: '/staff', state: 's', nonce: 'n', codeVerifier: 'v' });
  });

  it('refuse a key shorter than 32 bytes', () => {
    expect(() => flows({ key: Buffer.alloc(31) })).toThrow(new RangeError('the sign-in flow key must be at least 32 bytes'));
    expect(() => flows({ key: Buffer.alloc(32) })).not.toThrow();
  });
});
