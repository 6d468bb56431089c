import { createLoginRateLimiter, type LoginRateLimiter, type LoginRateLimiterOptions } from '../sessions/login-rate-limiter.ts';
import { createMemorySessionRevocations, type SessionRevocations } from '../sessions/session-revocations.ts';
import { createMemorySingleUseTickets, type SingleUseTickets } from '../sessions/single-use-tickets.ts';

/** Which throttle a limiter is: each counts apart (web sign-in, the SIP2 mediator's 93 logins and its PIN checks). */
export type ThrottleName = 'sign-in' | 'sip2-login' | 'sip2-pin';

/**
 * The state that must be the same on every node of a deployment: the sign-in throttles, revoked
 * sessions, single-use tickets. In memory for one node (the embedded default), or in Redis
 * (`state.redis`) for many. Created by main.ts (or a test) and handed to createApp.
 */
export interface SharedState {
  readonly store: 'memory' | 'redis';
  /** A sign-in throttle named `name` (its counts are apart from other names'). */
  createLimiter(name: ThrottleName, options: LoginRateLimiterOptions): LoginRateLimiter;
  readonly revocations: SessionRevocations;
  readonly tickets: SingleUseTickets;
  /** Up when the store answers (memory always does). */
  isUp(): boolean;
  close(): Promise<void>;
}

/** One node's memory: the behaviour of a single gateway without Redis. */
export function createMemorySharedState(): SharedState {
  return {
    store: 'memory',
    createLimiter: (_name, options) => createLoginRateLimiter(options),
    revocations: createMemorySessionRevocations(),
    tickets: createMemorySingleUseTickets(),
    isUp: () => true,
    close: async () => {},
  };
}
