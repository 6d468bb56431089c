import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * A narrow test set for mutation runs on the SAML identity provider (src/channels/federation,
 * compile-saml-delivery, saml-sharing-terms, resolve-saml-idp): its unit tests (the routes, which
 * only the integration tests reach, are left out of these runs).
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: [
      'test/unit/channels/federation/**/*.test.ts',
      'test/unit/contracts/compile-saml-delivery.test.ts',
      'test/unit/contracts/diff-contracts.test.ts',
      'test/unit/contracts/sharing-terms.test.ts',
      'test/unit/settings/resolve-saml-idp.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
