import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The tests of the staff console's pure parts, for their mutation runs (README, "Mutation testing"). */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { include: ['test/unit/metering/promql-result.test.ts', 'test/unit/metering/traffic-summary.test.ts', 'test/unit/web/staff/overview-model.test.ts'], testTimeout: 30_000 },
});
