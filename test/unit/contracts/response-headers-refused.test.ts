import { describe, expect, it } from 'vitest';
import { compileContractText } from '../../../src/contracts/load-contracts.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { contractYaml } from '../../helpers/contracts.ts';

// README, Every key: response.headers may add a vendor's own headers (an API's X-Total-Count) to
// the response allowlist, but never one that acts on the gateway's whole origin, that the gateway
// rewrites or sets itself, or that belongs to the connection: validation refuses the contract,
// naming the entry and why.
describe('a contract listing a response header that may never reach the browser is refused', () => {
  it.each([
    ['Service-Worker-Allowed', "it acts on the gateway's whole origin"],
    ['NEL', "it acts on the gateway's whole origin"],
    ['Link', "it acts on the gateway's whole origin"],
    ['Refresh', "it acts on the gateway's whole origin"],
    ['Strict-Transport-Security', "it acts on the gateway's whole origin"],
    ['Clear-Site-Data', "it acts on the gateway's whole origin"],
    ['Access-Control-Allow-Origin', "cross-origin access is the gateway's to grant"],
    ['access-control-expose-headers', "cross-origin access is the gateway's to grant"],
    ['Cross-Origin-Opener-Policy', "it acts on the gateway's whole origin"],
    ['Cross-Origin-Embedder-Policy', "it acts on the gateway's whole origin"],
    ['Content-Security-Policy-Report-Only', "the gateway sets the vendor's policy"],
    ['Sec-Anything', 'browsers reserve these names'],
    ['Set-Cookie', 'the gateway rewrites, sets or withholds it'],
    ['Last-Modified', 'the gateway rewrites, sets or withholds it'],
    ['Content-Location', 'the gateway rewrites, sets or withholds it'],
    ['Transfer-Encoding', 'it belongs to one connection, not the answer'],
    ['Proxy-Status', 'it belongs to one connection, not the answer'],
  ])('%s (%s)', (header, reason) => {
    const result = compileContractText('vendors/test-vendor.yaml', contractYaml({ response: `response: { headers: [x-total-count, ${header}] }` }), { signingKeyConfigured: true });
    expect(result.contract).toBeUndefined();
    expect(result.problems.map(formatProblem)).toEqual([
      `vendors/test-vendor.yaml: response.headers[1]: "${header}" never reaches the browser from a vendor (${reason}). Fix: remove it from response.headers`,
    ]);
  });

  it('a vendor header of its own is accepted, lowercased', () => {
    const result = compileContractText('vendors/test-vendor.yaml', contractYaml({ response: 'response: { headers: [X-Total-Count, x-ratelimit-remaining] }' }), { signingKeyConfigured: true });
    expect(result.problems).toEqual([]);
    expect([...(result.contract?.response.headerSet ?? [])]).toEqual(['x-total-count', 'x-ratelimit-remaining']);
  });

  it('without the section, no extra header passes', () => {
    const result = compileContractText('vendors/test-vendor.yaml', contractYaml(), { signingKeyConfigured: true });
    expect(result.contract?.response.headerSet.size).toBe(0);
  });
});
