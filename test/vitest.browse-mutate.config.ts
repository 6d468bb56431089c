import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The test set for mutation runs over browse mode's pure files (src/channels/browse/, not rewrite/): its unit tests. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/channels/browse/*.test.ts'],
    testTimeout: 30_000,
  },
});
