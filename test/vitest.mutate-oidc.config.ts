import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * A narrow test set for mutation runs on the OpenID Connect provider's files (issue 14; the
 * Chromium test is left out: it covers the same code, at seconds per mutant):
 *   npx stryker run .stryker/oidc.config.mjs (base config with vitest.configFile set to this file) \
 *     --mutate 'src/channels/federation/**\/*.ts,src/contracts/compile-oidc-delivery.ts,...' --concurrency 1 \
 *     --incrementalFile .stryker/oidc.json
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: [
      'test/unit/channels/federation/**/*.test.ts',
      'test/unit/contracts/compile-oidc-delivery.test.ts',
      'test/unit/policy/oidc-claim-names.test.ts',
      'test/unit/contracts/oidc-sharing-terms.test.ts',
      'test/unit/contracts/sharing-terms.test.ts',
      'test/integration/oidc-*.test.ts',
      'test/integration/boot-oidc-clients.test.ts',
      'test/integration/demo-oidc-relying-party.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
