// Mutation testing: `npm run mutate` (not run in CI). One folder at a time is quicker:
//   npx stryker run .stryker.config.mjs --mutate 'src/policy/**/*.ts'
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'test/vitest.mutate.config.ts' },
  mutate: ['src/policy/**/*.ts', 'src/minimize/**/*.ts', 'src/channels/proxy/**/*.ts'],
  coverageAnalysis: 'perTest',
  // The machine is shared: two workers at most.
  concurrency: 2,
  timeoutMS: 10_000,
  incremental: true,
  incrementalFile: '.stryker/incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: '.stryker/mutation-report.json' },
  tempDirName: '.stryker/tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['.stryker', 'coverage', 'test-output', 'dist'],
};
