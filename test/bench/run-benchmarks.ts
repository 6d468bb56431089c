import { benchMinimizer } from './minimizer-bench.ts';
import { benchProxy } from './proxy-bench.ts';

/** `npm run bench`: every benchmark, each against a baseline measured in the same run. */
await benchMinimizer();
await benchProxy();
