import { describe, expect, it } from 'vitest';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { contractYaml } from '../../helpers/contracts.ts';

// README, Every key: request.headers may never reopen cookies, Authorization,
// Forwarded/X-Forwarded-*, X-Real-IP, Via, Referer or hop-by-hop headers: validation refuses the
// contract (so startup refuses it), naming the entry.
describe('a contract listing a header the gateway never forwards is refused', () => {
  it.each([
    ['Cookie', 'the gateway session'],
    ['authorization', 'the patron\'s credentials'],
    ['Proxy-Authorization', 'credentials'],
    ['Forwarded', 'the patron\'s address'],
    ['X-Forwarded-For', 'the patron\'s address'],
    ['x-forwarded-host', 'the gateway\'s host'],
    ['X-Real-IP', 'the patron\'s address'],
    ['Via', 'the path through proxies'],
    ['Referer', 'the page the patron came from'],
    ['Connection', 'a hop-by-hop header'],
    ['Transfer-Encoding', 'a hop-by-hop header (framing)'],
    ['Upgrade', 'a hop-by-hop header'],
  ])('%s (%s)', (header) => {
    const result = compileContractText('vendors/test-vendor.yaml', contractYaml({ request: `request: { headers: [x-requested-with, ${header}] }` }), { signingKeyConfigured: true });
    expect(result.contract).toBeUndefined();
    expect(result.problems.map(formatProblem)).toEqual([
      `vendors/test-vendor.yaml: request.headers[1]: "${header}" is never forwarded to vendors (it can carry the patron's identity, address or session). Fix: remove it from request.headers`,
    ]);
  });

  it('an ordinary vendor header is accepted', () => {
    const result = compileContractText('vendors/test-vendor.yaml', contractYaml({ request: 'request: { headers: [X-Requested-With, x-api-version] }' }), { signingKeyConfigured: true });
    expect(result.problems).toEqual([]);
    expect(result.contract?.request.headers).toEqual(['x-requested-with', 'x-api-version']);
  });
});
