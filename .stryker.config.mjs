// Mutation testing: `npm run mutate` (not run in CI). One folder at a time is quicker; give each
// folder its own incremental file, since a run keeps only the results of what it mutated:
//   npx stryker run .stryker.config.mjs --mutate 'src/policy/**/*.ts' --incrementalFile .stryker/policy-incremental.json
// Tests for mutated code should do their work inside `it` (not when the file loads): Stryker
// only credits a test with the code it ran, and memoized work (the minimizer's per-contract plan,
// a guard built once per file) is credited to whichever test ran it first.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'test/vitest.mutate.config.ts' },
  mutate: ['src/policy/**/*.ts', 'src/minimize/**/*.ts', 'src/channels/proxy/**/*.ts'],
  coverageAnalysis: 'perTest',
  // Most of these modules are also run while test files load (contracts compiled at the top of a
  // file), which makes their mutants "static": Stryker would rerun every test file for each of
  // them (about an hour per folder on two cores). With ignoreStatic, such a mutant that tests also
  // cover runs against those tests; only mutants that no test covers at all (module-level
  // constants such as header sets and word lists) are ignored, and the report counts them.
  ignoreStatic: true,
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
