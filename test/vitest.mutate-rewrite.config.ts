import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The test set for mutation runs over src/channels/browse/rewrite/: its unit tests, without the
 * 50 MB memory tests (they assert a bound, not behaviour, and would make each mutant take half a
 * minute). Run: npx stryker run .stryker/rewrite.config.mjs (see the README's mutation section).
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/channels/browse/rewrite/**/*.test.ts'],
    testNamePattern: /^(?!.*memory stays flat)/,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
