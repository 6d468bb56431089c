import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { createMemorySessionRevocations, type SessionRevocations } from '../sessions/session-revocations.ts';
import { stateUnavailable } from './state-unavailable.ts';

export interface RedisSessionRevocations extends SessionRevocations {
  /** Loads every revocation Redis holds into this node's copy, and sends those Redis missed (after a reconnect). */
  synchronize(): Promise<void>;
  /** A revocation message from another node (the `<prefix>revocations` channel): "sid exp". */
  receive(message: string, now: Date): void;
  /** The channel revocations are published on. */
  readonly channel: string;
}

/**
 * Revoked sessions shared through Redis. Each sign-out writes `<prefix>revoked:<sid>` = its expiry
 * (the key expires with the session) and publishes "sid exp" to every node, which keeps a local copy
 * (bounded, like the memory store): isRevoked() answers from that copy, synchronously, so proxied
 * requests never wait on Redis and go on while it is down, refusing every revocation seen so far.
 * A node that (re)connects reads every revoked key again, so none missed while it was away is lost.
 *
 * Redis unreachable at sign-out: this node refuses the session at once, the revocation waits (at
 * most `maxPending`) to be written when Redis is back, and revoke() rejects with
 * state_unavailable: the patron is told that the other nodes could not be told yet.
 */
export function createRedisSessionRevocations(client: Redis, prefix: string, options: { max?: number; maxPending?: number; now: () => Date }): RedisSessionRevocations {
  const local = createMemorySessionRevocations({ max: options.max ?? 100_000 });
  const pending = new LRUCache<string, number>({ max: options.maxPending ?? 10_000 });
  const keyOf = (sid: string): string => `${prefix}revoked:${sid}`;
  const channel = `${prefix}revocations`;

  // The key lives as long as the session has left by the gateway's clock (as in memory).
  async function write(sid: string, exp: number, now: Date): Promise<void> {
    const left = exp * 1000 - now.getTime();
    if (left <= 0) return;
    const results = await client.multi().set(keyOf(sid), String(exp), 'PX', left).publish(channel, `${sid} ${exp}`).exec();
    const failed = results?.find(([error]) => error !== null);
    if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('the transaction was discarded');
  }

  return {
    channel,
    isRevoked: (sid, now) => local.isRevoked(sid, now),
    async revoke(sid, exp, now) {
      local.revoke(sid, exp, now);
      if (exp * 1000 <= now.getTime()) return;
      try {
        await write(sid, exp, now);
      } catch (error) {
        pending.set(sid, exp);
        throw stateUnavailable(error);
      }
    },
    receive(message, now) {
      const [sid, exp] = message.split(' ');
      const seconds = Number(exp);
      if (sid !== undefined && sid !== '' && Number.isInteger(seconds)) local.revoke(sid, seconds, now);
    },
    async synchronize() {
      const now = options.now();
      for (const [sid, exp] of [...pending.entries()]) {
        await write(sid, exp, now);
        pending.delete(sid);
      }
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}revoked:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length === 0) continue;
        const values = await client.mget(...keys);
        keys.forEach((key, index) => {
          const exp = Number(values[index]);
          if (Number.isInteger(exp)) local.revoke(key.slice(`${prefix}revoked:`.length), exp, now);
        });
      } while (cursor !== '0');
    },
  };
}
