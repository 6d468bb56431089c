import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The test set for mutation runs over src/channels/browse/rewrite/: its unit tests, without the
 * 50 MB memory tests (they assert a bound, not behaviour, and would make each mutant take half a
 * minute) and the random-chunking properties (hundreds of runs each; the one-byte-at-a-time and
 * table tests exercise the same code). See the README's mutation section for the command.
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/channels/browse/rewrite/**/*.test.ts'],
    testNamePattern: /^(?!.*(memory stays flat|cut anywhere|no upstream URL survives))/,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
