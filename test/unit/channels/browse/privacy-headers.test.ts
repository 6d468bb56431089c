import { describe, expect, it } from 'vitest';
import { BROWSE_FIXED_HEADERS, BROWSE_PERMISSIONS_POLICY, buildBrowseCsp } from '../../../../src/channels/browse/privacy-headers.ts';

describe('the egress CSP', () => {
  const directives = (): Map<string, string[]> => new Map(buildBrowseCsp(['https://www-v-com.p.org', 'https://cdn-v-com.p.org']).split('; ').map((d) => [d.split(' ')[0] as string, d.split(' ').slice(1)]));
  const table: Array<[string, string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org', "'unsafe-inline'", "'unsafe-eval'"]],
    ['style-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org', "'unsafe-inline'"]],
    ['img-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org', 'data:', 'blob:']],
    ['font-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org', 'data:']],
    ['media-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org', 'data:', 'blob:']],
    ['connect-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org']],
    ['frame-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org']],
    ['child-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org']],
    ['worker-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org', 'blob:']],
    ['manifest-src', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org']],
    ['object-src', ["'none'"]],
    ['form-action', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org']],
    ['base-uri', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org']],
    ['frame-ancestors', ['https://www-v-com.p.org', 'https://cdn-v-com.p.org']],
  ];
  it.each(table)('%s allows only the vendor origins (and what pages build in memory)', (name, sources) => {
    expect(directives().get(name)).toEqual(sources);
  });
  it('has no other directive', () => {
    expect([...directives().keys()].sort()).toEqual(table.map(([name]) => name).sort());
  });
});

describe('the fixed headers', () => {
  it('are the privacy headers of a vendor origin', () => {
    expect(BROWSE_FIXED_HEADERS).toEqual({
      'referrer-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'permissions-policy': BROWSE_PERMISSIONS_POLICY,
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'cross-origin-opener-policy': 'same-origin',
    });
  });
  it('the Permissions-Policy turns every listed feature off', () => {
    for (const entry of BROWSE_PERMISSIONS_POLICY.split(', ')) expect(entry).toMatch(/^[a-z-]+=\(\)$/);
    expect(BROWSE_PERMISSIONS_POLICY).toContain('camera=()');
    expect(BROWSE_PERMISSIONS_POLICY).toContain('geolocation=()');
  });
});
