import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Narrow test sets for mutation runs on the reports channel (the solver-driven tests of whole
 * tables take too long per mutant). MUTATE_TESTS picks the set: `solver` (the solver wrapper),
 * `sets` (the flat fingerprint sets and maps), `cuts` (its Benders cuts), `optimize` (the exact search for small tables), `protection` (the solver steps; slow, hours on
 * shared cores). Pass it from a git-ignored .stryker/NAME.config.mjs as
 * `vitest: { configFile: 'test/vitest.mutate-reports.config.ts' }`.
 */
const SETS: Record<string, string[]> = {
  solver: ['test/unit/channels/reports/protection/solve-model.test.ts'],
  sets: ['test/unit/channels/reports/fingerprint-set.test.ts', 'test/unit/channels/reports/fingerprint-map.test.ts'],
  cuts: ['test/unit/channels/reports/protection/attacker-cuts.test.ts'],
  optimize: ['test/unit/channels/reports/protection/attacker-cuts.test.ts', 'test/unit/channels/reports/protection/optimize-complements.test.ts'],
  protection: [
    'test/unit/channels/reports/protection/solve-model.test.ts',
    'test/unit/channels/reports/protection/choose-complements.test.ts',
    'test/unit/channels/reports/protection/choose-complements-witnesses.test.ts',
    'test/unit/channels/reports/protection/audit-intervals.test.ts',
    'test/unit/channels/reports/protection/audit-intervals-integer.test.ts',
  ],
};

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: SETS[process.env['MUTATE_TESTS'] ?? 'protection'] ?? [],
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
