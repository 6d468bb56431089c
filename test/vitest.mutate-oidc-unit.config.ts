import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The unit tests of the OpenID Connect provider's pure files, for mutation runs on them alone
 * (claim names, the delivery's compile checks, its sharing terms, the claim mapping, the store).
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/channels/federation/**/*.test.ts', 'test/unit/contracts/compile-oidc-delivery.test.ts', 'test/unit/contracts/oidc-sharing-terms.test.ts', 'test/unit/policy/oidc-claim-names.test.ts'],
    testTimeout: 30_000,
  },
});
