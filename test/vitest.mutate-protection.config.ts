import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * A narrow test set for mutation runs on src/channels/reports/protection (pass it with
 * --vitest.configFile test/vitest.mutate-protection.config.ts): the protection tests only.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/channels/reports/protection/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
