// Mutation testing of the patron pages' pure parts (README, "Mutation testing"): only their unit tests.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/lib/colour-contrast.test.ts', 'test/unit/lib/localized-text.test.ts', 'test/unit/settings/check-branding.test.ts', 'test/unit/web/labels/plain-values.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
