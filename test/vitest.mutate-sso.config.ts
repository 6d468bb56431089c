import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * A narrow test set for mutation runs on the library single sign-on files (issue 14):
 *   npx stryker run .stryker/sso.config.mjs (base config with vitest.configFile set to this file) \
 *     --mutate 'src/patrons/oidc/*.ts,src/sessions/sign-in-flow.ts,src/settings/sso-settings.ts,src/web/login/sso-routes.ts' \
 *     --concurrency 1 --incrementalFile .stryker/sso.json
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/patrons/oidc/*.test.ts', 'test/unit/sessions/sign-in-flow.test.ts', 'test/unit/sessions/session-token.test.ts', 'test/unit/settings/sso-settings.test.ts', 'test/integration/sso-*.test.ts', 'test/integration/boot-sso-settings.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
