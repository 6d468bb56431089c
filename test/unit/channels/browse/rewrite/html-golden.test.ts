import { readFileSync, writeFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { RewriteOptions } from '../../../../../src/channels/browse/rewrite/index.ts';
import { cutAt, demoOptions, oneByteChunks, proxiedOrigin, rewriteBody } from '../../../../helpers/rewrite-fixtures.ts';

/**
 * Golden files: test/fixtures/rewrite/NAME.html rewritten as one chunk must equal NAME.expected.html
 * (each expected file was read line by line when it was written; UPDATE_GOLDEN=1 rewrites them after
 * a deliberate change, to be reviewed in the diff). The same output must come out whatever the
 * chunking: one byte at a time, and random cuts (fixed seed).
 */
const fixtures = new URL('../../../../fixtures/rewrite/', import.meta.url);

const cases: ReadonlyArray<[name: string, why: string, options: () => RewriteOptions]> = [
  ['links', 'absolute, protocol-relative, relative, neverProxy, refused and script URLs; every loading element', () => demoOptions()],
  ['srcset-and-styles', 'srcset candidates, <style> url() and @import, style attributes, SVG', () => demoOptions()],
  ['base-forms-refresh', 'the first <base> governs what follows; forms; meta refresh; meta CSP and referrer removed; srcdoc', () => demoOptions()],
  ['malformed', 'broken markup tokenizes as a browser does and streams through', () => demoOptions()],
  ['comments-templates', 'comments and CDATA untouched, templates rewritten, script text untouched without rules', () => demoOptions()],
  [
    'script-hosts',
    "the contract's script hosts substituted in script text and JSON, nothing else",
    () =>
      demoOptions({
        scriptHosts: [
          { host: 'api.vendor.com', proxied: proxiedOrigin('api.vendor.com') },
          { host: 'cdn.vendor.com', proxied: proxiedOrigin('cdn.vendor.com') },
        ],
      }),
  ],
  [
    'find-replace',
    'find/replace rules applied to the upstream HTML, {proxy:HOST} expanded',
    () =>
      demoOptions({
        replace: [
          { find: 'window.VENDOR_TRACKING_ENABLED = true', replace: 'window.VENDOR_TRACKING_ENABLED = false' },
          { find: 'https://login.vendor-sso.example/start', replace: '{proxy:www.vendor.com}/sso/start' },
          { find: 'OldVendorName', replace: 'NewName', types: ['text/html'] },
          { find: 'Powered', replace: 'never applied: rule is for CSS only', types: ['text/css'] },
        ],
      }),
  ],
];

const read = (name: string): Buffer => readFileSync(new URL(name, fixtures));

describe('HTML rewriting golden files', () => {
  it.each(cases)('%s: %s', async (name, _why, options) => {
    const output = (await rewriteBody('text/html; charset=utf-8', [read(`${name}.html`)], options())).toString('utf8');
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(new URL(`${name}.expected.html`, fixtures), output);
    expect(output).toBe(read(`${name}.expected.html`).toString('utf8'));
  });

  it.each(cases)('%s: fed one byte at a time, the output is the same', async (name, _why, options) => {
    const input = read(`${name}.html`);
    const output = await rewriteBody('text/html; charset=utf-8', oneByteChunks(input), options());
    expect(output.toString('utf8')).toBe(read(`${name}.expected.html`).toString('utf8'));
  });

  test.prop([fc.constantFrom(...cases), fc.array(fc.nat(), { maxLength: 40 })], { seed: 1302, numRuns: 60 })(
    'cut anywhere, the output is the same as in one chunk',
    async ([name, , options], cuts) => {
      const input = read(`${name}.html`);
      const output = await rewriteBody('text/html; charset=utf-8', cutAt(input, cuts.map((c) => c % (input.length + 1))), options());
      expect(output.toString('utf8')).toBe(read(`${name}.expected.html`).toString('utf8'));
    },
  );
});
