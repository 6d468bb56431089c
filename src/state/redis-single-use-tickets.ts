import type { Redis } from 'ioredis';
import type { SingleUseTickets } from '../sessions/single-use-tickets.ts';
import { stateUnavailable } from './state-unavailable.ts';

/**
 * Single-use tickets in Redis: `<prefix>ticket:<id>` = the opaque payload, expiring with the
 * ticket; taken with GETDEL, so two nodes asking at once cannot both have it.
 */
export function createRedisSingleUseTickets(client: Redis, prefix: string): SingleUseTickets {
  const keyOf = (id: string): string => `${prefix}ticket:${id}`;
  return {
    async put(id, payload, ttlSeconds) {
      try {
        return (await client.set(keyOf(id), payload, 'EX', ttlSeconds, 'NX')) === 'OK';
      } catch (error) {
        throw stateUnavailable(error);
      }
    },
    async take(id) {
      try {
        return (await client.getdel(keyOf(id))) ?? undefined;
      } catch (error) {
        throw stateUnavailable(error);
      }
    },
  };
}
