import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The SIP2 tests only, for quick mutation runs (README, "Mutation testing"), chosen by SIP2_MUTATE:
 * codec (src/sip2: the codec's unit tests and the client tests), client (the connection and the
 * pool: the client, TLS and faulty-ILS tests over real TCP), source (the patron source, its dialect
 * and settings: the integration tests over real TCP) or channel (the mediator, src/channels/sip2:
 * its unit tests, the mediator's integration tests and the gateway-level ones that start it).
 */
const groups: Record<string, string[]> = {
  codec: ['test/unit/sip2/**/*.test.ts', 'test/integration/sip2-client.test.ts'],
  client: ['test/integration/sip2-client*.test.ts', 'test/integration/sip2-tls.test.ts', 'test/integration/sip2-ils-faults.test.ts'],
  source: ['test/unit/patrons/sip2-*.test.ts', 'test/integration/sip2-*.test.ts', 'test/integration/boot-sip2-settings.test.ts'],
  channel: ['test/unit/channels/sip2/**/*.test.ts', 'test/integration/sip2-mediator-*.test.ts', 'test/integration/boot-sip2-mediator.test.ts'],
};

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: groups[process.env['SIP2_MUTATE'] ?? 'codec'] ?? [],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
