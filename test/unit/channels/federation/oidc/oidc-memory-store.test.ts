import { describe, expect, it } from 'vitest';
import { createOidcMemoryStore } from '../../../../../src/channels/federation/oidc/oidc-memory-store.ts';
import type { MinimizeResult } from '../../../../../src/minimize/minimize.ts';

const RESULT: MinimizeResult = { access: 'identified', view: {}, decisions: [] };

describe('the OpenID Connect memory store: bounded, expiring, the provider\'s only state', () => {
  it('stores, finds, consumes and destroys per model', async () => {
    const store = createOidcMemoryStore({ max: 10 });
    const codes = store.adapterFor('AuthorizationCode');
    const sessions = store.adapterFor('Session');
    await codes.upsert('c1', { accountId: 'a' }, 60);
    expect(await codes.find('c1')).toEqual({ accountId: 'a' });
    expect(await sessions.find('c1')).toBeUndefined();
    const before = Math.floor(Date.now() / 1000);
    await codes.consume('c1');
    const consumed = (await codes.find('c1'))?.consumed ?? 0;
    expect(consumed).toBeGreaterThanOrEqual(before);
    expect(consumed).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    await codes.consume('missing');
    await codes.destroy('c1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await codes.findByUserCode('x')).toBeUndefined();
  });

  it('finds a session by its uid', async () => {
    const store = createOidcMemoryStore({ max: 10 });
    const sessions = store.adapterFor('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a' }, 60);
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'a' });
    expect(await sessions.findByUid('u2')).toBeUndefined();
    // Only sessions are indexed by uid: an interaction with the same uid does not take its place.
    await store.adapterFor('Interaction').upsert('i1', { uid: 'u3' }, 60);
    expect(await sessions.findByUid('u3')).toBeUndefined();
    expect(await store.adapterFor('Interaction').findByUid('u3')).toBeUndefined();
    await store.adapterFor('Interaction').upsert('s9', { uid: 'u1' }, 60);
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'a' });
    // A session without a uid is not indexed.
    await sessions.upsert('s2', { accountId: 'b' }, 60);
    expect(await sessions.findByUid('')).toBeUndefined();
  });

  it('revokes every token of a grant (a replayed code), and only those', async () => {
    const store = createOidcMemoryStore({ max: 10 });
    await store.adapterFor('AuthorizationCode').upsert('c1', { grantId: 'g1' }, 60);
    await store.adapterFor('AccessToken').upsert('t1', { grantId: 'g1' }, 60);
    await store.adapterFor('AccessToken').upsert('t2', { grantId: 'g2' }, 60);
    await store.adapterFor('AccessToken').revokeByGrantId('g1');
    expect(await store.adapterFor('AuthorizationCode').find('c1')).toBeUndefined();
    expect(await store.adapterFor('AccessToken').find('t1')).toBeUndefined();
    expect(await store.adapterFor('AccessToken').find('t2')).toEqual({ grantId: 'g2' });
    // A revoked grant forgets its members: a token reusing an id under another grant survives a second revocation.
    await store.adapterFor('AccessToken').upsert('t1', { grantId: 'g3' }, 60);
    await store.adapterFor('AccessToken').revokeByGrantId('g1');
    expect(await store.adapterFor('AccessToken').find('t1')).toEqual({ grantId: 'g3' });
    await store.adapterFor('AccessToken').revokeByGrantId('never');
  });

  it('holds at most max entries per model: a flood evicts the oldest', async () => {
    const store = createOidcMemoryStore({ max: 3 });
    const codes = store.adapterFor('AuthorizationCode');
    for (let i = 0; i < 10; i++) await codes.upsert(`c${i}`, { i }, 60);
    for (let i = 0; i < 10; i++) store.saveRelease(`r${i}`, { vendorId: 'v', clientId: 'c', claims: {}, result: RESULT }, 60);
    expect(await codes.find('c0')).toBeUndefined();
    expect(await codes.find('c9')).toEqual({ i: 9 });
    expect(store.findRelease('r0')).toBeUndefined();
    expect(store.findRelease('r9')?.vendorId).toBe('v');
    expect(store.size()).toBe(6);
    expect(store.adapterFor('AuthorizationCode')).not.toBe(codes);
  });

  it('forgets a release once redeemed', () => {
    const store = createOidcMemoryStore({ max: 3 });
    store.saveRelease('r', { vendorId: 'v', clientId: 'c', claims: { sub: 's' }, result: RESULT }, 60);
    expect(store.findRelease('r')?.claims).toEqual({ sub: 's' });
    store.forgetRelease('r');
    expect(store.findRelease('r')).toBeUndefined();
  });

  it('lets entries expire with the lifetime they were given', async () => {
    const store = createOidcMemoryStore({ max: 3 });
    await store.adapterFor('Interaction').upsert('i', { uid: 'u' }, 0.001);
    await store.adapterFor('Session').upsert('s', { uid: 'su' }, 0.001);
    await store.adapterFor('Interaction').upsert('long', { uid: 'l' }, 60);
    await store.adapterFor('Session').upsert('long', { uid: 'lu' }, 60);
    store.saveRelease('r', { vendorId: 'v', clientId: 'c', claims: {}, result: RESULT }, 0.001);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // At least a second, whatever lifetime was asked for; the given lifetime otherwise.
    expect(await store.adapterFor('Interaction').find('i')).toBeUndefined();
    expect(await store.adapterFor('Session').findByUid('su')).toBeUndefined();
    expect(await store.adapterFor('Interaction').find('long')).toEqual({ uid: 'l' });
    expect(await store.adapterFor('Session').findByUid('lu')).toEqual({ uid: 'lu' });
    expect(store.findRelease('r')).toBeUndefined();
  });
});
