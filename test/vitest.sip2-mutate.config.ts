import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The SIP2 tests only, for quick mutation runs (README, "Mutation testing"). SIP2_MUTATE=codec
 * (src/sip2: the codec's unit tests and the client tests) or SIP2_MUTATE=source (the patron
 * source, its dialect and settings: the integration tests over real TCP).
 */
const codec = ['test/unit/sip2/**/*.test.ts', 'test/integration/sip2-client.test.ts'];
const source = ['test/unit/patrons/sip2-*.test.ts', 'test/integration/sip2-*.test.ts', 'test/integration/boot-sip2-settings.test.ts'];

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: process.env['SIP2_MUTATE'] === 'source' ? source : codec,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
