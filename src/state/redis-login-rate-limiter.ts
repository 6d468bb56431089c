import type { Redis } from 'ioredis';
import type { LoginRateLimiter, LoginRateLimiterOptions, LoginTry } from '../sessions/login-rate-limiter.ts';
import { createThrottleIds } from '../sessions/throttle-ids.ts';
import { stateUnavailable } from './state-unavailable.ts';

/**
 * Checks both counts and, when neither is at its limit, counts the attempt against both: one
 * script, so nodes asking at the same moment cannot both pass the last free attempt, and a refused
 * attempt counts against neither (as in memory). A window starts at its first counted failure
 * and lasts its seconds (the key's expiry). Answers [refused, milliseconds to wait].
 */
const BEGIN = `
local limits = { tonumber(ARGV[1]), tonumber(ARGV[3]) }
local windows = { tonumber(ARGV[2]), tonumber(ARGV[4]) }
local refused = 0
local wait = 0
for i = 1, 2 do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= limits[i] then
    refused = 1
    local left = redis.call('PTTL', KEYS[i])
    if left > wait then wait = left end
  end
end
if refused == 1 then return { 1, wait } end
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], windows[i]) end
end
return { 0, 0 }
`;

/** A success takes its attempt back, in whichever windows still run (never making a key without an expiry). */
const SUCCEEDED = `
for i = 1, 2 do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('DECR', KEYS[i]) end
end
return 0
`;

/**
 * The sign-in throttle in Redis: every node counts together, so N nodes allow no more guesses
 * than one. Keys hold counters only, under HMACs of the card and the client address
 * (`<prefix>throttle:<name>:card:<hmac>`), each expiring with its window. Redis unreachable:
 * begin() rejects with state_unavailable (sign-in fails closed).
 */
export function createRedisLoginRateLimiter(client: Redis, prefix: string, name: string, options: LoginRateLimiterOptions): LoginRateLimiter {
  const ids = createThrottleIds(options.key);
  const base = `${prefix}throttle:${name}:`;
  const args = [options.clientFailures, options.clientWindowSeconds * 1000, options.cardFailures, options.cardWindowSeconds * 1000];
  return {
    async begin(clientAddress, card): Promise<LoginTry> {
      const keys = [`${base}client:${ids.client(clientAddress)}`, `${base}card:${ids.card(card)}`];
      let answer: unknown;
      try {
        answer = await client.eval(BEGIN, 2, ...keys, ...args);
      } catch (error) {
        throw stateUnavailable(error);
      }
      const [refused, wait] = Array.isArray(answer) ? (answer as number[]) : [1, 1000];
      if (refused === 1) return { allowed: false, wait: Math.max(1, Math.ceil((wait ?? 1000) / 1000)) };
      let pending = true;
      return {
        allowed: true,
        succeeded() {
          if (!pending) return;
          pending = false;
          // Best effort: a success that cannot be taken back counts as one failure until its window ends.
          client.eval(SUCCEEDED, 2, ...keys).catch(() => {});
        },
      };
    },
  };
}
