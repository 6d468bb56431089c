import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Narrow, local only (not committed): the tests of the files h-contracts mutates.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/contracts/**/*.test.ts', 'test/unit/lib/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
