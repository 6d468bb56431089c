import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The test set for mutation runs (`npm run mutate`, see .stryker.config.mjs): every unit test plus
 * the integration tests that drive the proxy pipeline and the minimizer end to end. The other
 * integration tests (browsers, CLI processes, reports, staff pages) do not cover the mutated
 * folders and would only slow each run down.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/integration/proxy-*.test.ts',
      'test/integration/golden-vendor-views.test.ts',
      'test/integration/notices.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
