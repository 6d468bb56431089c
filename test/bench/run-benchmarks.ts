import { benchMinimizer } from './minimizer-bench.ts';
import { benchBrowse } from './browse-bench.ts';
import { benchProxy } from './proxy-bench.ts';
import { benchReport } from './report-bench.ts';
import { benchSip2Mediator } from './sip2-mediator-bench.ts';
import { benchSip2Stages } from './sip2-stages-bench.ts';
import { benchProtection } from './protection-bench.ts';
import { benchSaml } from './saml-bench.ts';
import { benchOidc } from './oidc-bench.ts';
import { benchRewrite } from './rewrite-bench.ts';

/** `npm run bench`: every benchmark, each against a baseline measured in the same run. */
const only = process.env['BENCH_ONLY'];
if (!only || only === 'minimizer') await benchMinimizer();
if (!only || only === 'report') await benchReport();
if (!only || only === 'report' || only === 'protection') await benchProtection();
if (!only || only === 'proxy') await benchProxy();
if (!only || only === 'sip2') await benchSip2Stages();
if (!only || only === 'sip2') await benchSip2Mediator();
if (!only || only === 'saml') await benchSaml();
if (!only || only === 'oidc') await benchOidc();
if (!only || only === 'rewrite') await benchRewrite();
if (!only || only === 'browse') await benchBrowse();
