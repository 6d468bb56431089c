import type { Logger } from '../log/create-logger.ts';
import type { SharedStateSetup } from '../settings/resolve-shared-state.ts';
import { openRedisState } from './open-redis-state.ts';
import { createMemorySharedState, type SharedState } from './shared-state.ts';

/**
 * The shared state the settings describe: Redis when state.redis is set, otherwise this node's
 * memory. With state.required, waits up to state.startTimeoutSeconds for Redis and resolves to an
 * error message when it never answers (main.ts then refuses to start); without, the gateway starts
 * at once and Redis is used from the moment it answers.
 */
export async function openSharedState(setup: SharedStateSetup | undefined, deps: { logger: Logger; clock: () => Date }): Promise<{ state: SharedState } | { error: string }> {
  if (setup?.redis === undefined) return { state: createMemorySharedState() };
  const state = openRedisState(setup.redis, deps);
  if (!setup.required) return { state };
  if (await state.waitUntilUp(setup.startTimeoutSeconds * 1000)) return { state };
  await state.close();
  return { error: `Redis (state.redis) did not answer within ${setup.startTimeoutSeconds} s, and state.required is true` };
}
