import base from './.stryker.config.mjs';
export default { ...base, vitest: { configFile: 'test/vitest.sip2-mutate.config.ts' }, concurrency: 1 };
