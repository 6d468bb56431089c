import { LRUCache } from 'lru-cache';
import type { MinimizeResult } from '../../../minimize/minimize.ts';
import type { OidcClaims } from './map-oidc-claims.ts';

/** One model's storage in the shape oidc-provider calls (its Adapter interface). */
export interface OidcAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export type OidcPayload = Record<string, unknown> & { uid?: string; grantId?: string; consumed?: number };

/** What one sign-in released to one client: made when the patron passes the gateway's pages, read when the code is redeemed. */
export interface OidcRelease {
  readonly vendorId: string;
  readonly clientId: string;
  readonly claims: OidcClaims;
  /** The minimizer's result the claims come from (for the release metrics: field names and outcomes only). */
  readonly result: MinimizeResult;
}

export interface OidcMemoryStore {
  /** oidc-provider's `adapter` option: one adapter per model name, all in this store. */
  readonly adapterFor: (model: string) => OidcAdapter;
  saveRelease(id: string, release: OidcRelease, ttlSeconds: number): void;
  findRelease(id: string): OidcRelease | undefined;
  forgetRelease(id: string): void;
  /** Entries held, over every model (for tests and the README's bound). */
  size(): number;
}

/**
 * The OpenID Connect provider's only state: interactions, sessions, grants, codes, tokens and the
 * releases waiting for their code, in this node's memory. Every model is a bounded LRU (`max`
 * entries each) whose entries expire with the lifetime oidc-provider gives them: nothing outlives
 * a sign-in by more than minutes, and a flood of sign-ins evicts the oldest instead of growing.
 * Several nodes would need this in the shared store (src/state/); one node keeps it here.
 */
export function createOidcMemoryStore(options: { readonly max: number }): OidcMemoryStore {
  const models = new Map<string, LRUCache<string, OidcPayload>>();
  // Secondary indexes: a session by its uid, a grant's members (to revoke every token of a replayed code).
  const sessionsByUid = new LRUCache<string, string>({ max: options.max });
  const grantMembers = new LRUCache<string, Set<string>>({ max: options.max });
  const releases = new LRUCache<string, OidcRelease>({ max: options.max });
  const storeOf = (model: string): LRUCache<string, OidcPayload> => {
    let store = models.get(model);
    if (store === undefined) models.set(model, (store = new LRUCache<string, OidcPayload>({ max: options.max })));
    return store;
  };
  const adapterFor = (model: string): OidcAdapter => {
    const store = storeOf(model);
    return {
      async upsert(id, payload, expiresIn) {
        store.set(id, payload, { ttl: Math.max(1, expiresIn) * 1000 });
        if (model === 'Session' && typeof payload.uid === 'string') sessionsByUid.set(payload.uid, id, { ttl: Math.max(1, expiresIn) * 1000 });
        if (typeof payload.grantId === 'string') {
          const members = grantMembers.get(payload.grantId) ?? new Set<string>();
          members.add(`${model}\u0000${id}`);
          grantMembers.set(payload.grantId, members);
        }
      },
      async find(id) {
        return store.get(id);
      },
      async findByUid(uid) {
        // No entry has the empty id.
        return store.get(sessionsByUid.get(uid) ?? '');
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const payload = store.get(id);
        if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.delete(id);
      },
      async revokeByGrantId(grantId) {
        grantMembers.get(grantId)?.forEach((member) => {
          const [name = '', id = ''] = member.split('\u0000');
          storeOf(name).delete(id);
        });
        grantMembers.delete(grantId);
      },
    };
  };
  return {
    adapterFor,
    saveRelease(id, release, ttlSeconds) {
      releases.set(id, release, { ttl: ttlSeconds * 1000 });
    },
    findRelease(id) {
      return releases.get(id);
    },
    forgetRelease(id) {
      releases.delete(id);
    },
    size() {
      let total = releases.size;
      for (const store of models.values()) total += store.size;
      return total;
    },
  };
}
