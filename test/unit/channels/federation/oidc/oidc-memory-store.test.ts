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
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toEqual(expect.any(Number));
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
    // Only sessions are indexed by uid.
    await store.adapterFor('Interaction').upsert('i1', { uid: 'u3' }, 60);
    expect(await sessions.findByUid('u3')).toBeUndefined();
    expect(await store.adapterFor('Interaction').findByUid('u3')).toBeUndefined();
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
    await store.adapterFor('AccessToken').revokeByGrantId('g1');
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
    store.saveRelease('r', { vendorId: 'v', clientId: 'c', claims: {}, result: RESULT }, 0.001);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.adapterFor('Interaction').find('i')).toBeUndefined();
    expect(store.findRelease('r')).toBeUndefined();
  });
});
