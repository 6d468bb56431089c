import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * A narrow test set for mutation runs on the SIP2 delivery and mediator files (issue 12):
 *   npx stryker run .stryker/sip2.config.mjs (base config with vitest.configFile set to this file) \
 *     --mutate 'src/minimize/build-sip2-answer.ts,src/contracts/compile-sip2-delivery.ts' --concurrency 1 \
 *     --incrementalFile .stryker/sip2.json
 */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/unit/channels/sip2/**/*.test.ts', 'test/unit/minimize/build-sip2-answer.test.ts', 'test/unit/contracts/compile-sip2-delivery.test.ts', 'test/unit/contracts/sharing-terms.test.ts', 'test/unit/contracts/sip2-sharing-terms.test.ts', 'test/unit/contracts/diff-contracts.test.ts', 'test/integration/sip2-mediator-*.test.ts', 'test/integration/boot-sip2-mediator.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
