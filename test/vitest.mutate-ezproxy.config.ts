import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The test set for mutation runs over the EZproxy importer (src/contracts/ezproxy/): its unit tests. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/contracts/ezproxy/*.test.ts'],
    testTimeout: 30_000,
  },
});
