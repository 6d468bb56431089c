import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createFindReplaceStages } from '../../../../../src/channels/browse/rewrite/find-replace.ts';
import { chainTextStages } from '../../../../../src/channels/browse/rewrite/text-stage.ts';
import { demoMapUrl } from '../../../../helpers/rewrite-fixtures.ts';
import { cutText, runStage } from './text-stages.ts';

const rules = [
  { find: 'trackingEnabled: true', replace: 'trackingEnabled: false' },
  { find: 'https://sso.vendor-login.example/start', replace: '{proxy:www.vendor.com}/sso/start?from={proxy:api.vendor.com}' },
  { find: 'aa', replace: 'b' },
  { find: '$&', replace: '$1 literally' },
];
const stage = (mediaType = 'application/javascript') => chainTextStages(createFindReplaceStages(rules, mediaType, demoMapUrl).stages);

describe('find/replace rules', () => {
  it('replaces exact text, every occurrence, rules in order', () => {
    expect(runStage(stage(), ['x = {trackingEnabled: true}; y = {trackingEnabled: true}'])).toBe('x = {trackingEnabled: false}; y = {trackingEnabled: false}');
  });

  it('expands {proxy:HOST} to the proxied origin and reports the origins it produced', () => {
    const built = createFindReplaceStages(rules, 'application/javascript', demoMapUrl);
    expect(runStage(chainTextStages(built.stages), ['go("https://sso.vendor-login.example/start")'])).toBe(
      'go("https://www-vendor-com.proxy.test/sso/start?from=https://api-vendor-com.proxy.test")',
    );
    expect(built.proxiedOrigins).toEqual(['https://www-vendor-com.proxy.test', 'https://api-vendor-com.proxy.test']);
  });

  it('expands a placeholder for a host the contract does not allow to nothing', () => {
    const built = createFindReplaceStages([{ find: 'X', replace: '[{proxy:tracker.example}]' }], 'text/html', demoMapUrl);
    expect(runStage(chainTextStages(built.stages), ['X'])).toBe('[]');
    expect(built.proxiedOrigins).toEqual([]);
  });

  it('reads a placeholder host with spaces around it, and asks mapUrl for a load of its root', () => {
    const asked: string[] = [];
    const built = createFindReplaceStages([{ find: 'X', replace: '{proxy: www.vendor.com }' }], 'text/html', (absolute, kind) => {
      asked.push(`${kind} ${absolute}`);
      return demoMapUrl(absolute, kind);
    });
    expect(runStage(chainTextStages(built.stages), ['X'])).toBe('https://www-vendor-com.proxy.test');
    expect(asked).toEqual(['load https://www.vendor.com/']);
  });

  it('a mapUrl answer that is not a URL expands to nothing', () => {
    const built = createFindReplaceStages([{ find: 'X', replace: '[{proxy:www.vendor.com}]' }], 'text/html', () => 'not a url');
    expect(runStage(chainTextStages(built.stages), ['X'])).toBe('[]');
    expect(built.proxiedOrigins).toEqual([]);
  });

  it('treats find and replace as text, not patterns', () => {
    expect(runStage(stage(), ['a.b $& c'])).toBe('a.b $1 literally c');
  });

  it('does not rescan its own output (aaaa -> bb, not b)', () => {
    expect(runStage(stage(), ['aaaa'])).toBe('bb');
  });

  it.each([
    ['a rule without types applies to the default types', 'text/html', 1],
    ['a rule without types applies to JSON', 'application/json', 1],
    ['a rule without types skips CSS', 'text/css', 0],
  ])('%s', (_name, mediaType, count) => {
    expect(createFindReplaceStages([{ find: 'a', replace: 'b' }], mediaType, demoMapUrl).stages).toHaveLength(count);
  });

  it('a rule with types applies only to those', () => {
    const typed = [{ find: 'a', replace: 'b', types: ['text/css'] }];
    expect(createFindReplaceStages(typed, 'text/css', demoMapUrl).stages).toHaveLength(1);
    expect(createFindReplaceStages(typed, 'text/html', demoMapUrl).stages).toHaveLength(0);
  });

  const body = 'let cfg = {trackingEnabled: true};\nlocation = "https://sso.vendor-login.example/start"; aaa $& aaaa trackingEnabled: true';

  it('finds matches split across chunk boundaries: one character at a time equals one pass', () => {
    expect(runStage(stage(), [...body])).toBe(runStage(stage(), [body]));
  });

  test.prop([fc.array(fc.nat(), { maxLength: 40 })], { seed: 1305, numRuns: 300 })('cut anywhere, the output equals one pass', (cuts) => {
    expect(runStage(stage(), cutText(body, cuts))).toBe(runStage(stage(), [body]));
  });

  it('holds back exactly the find length minus one between pieces, and nothing at the end', () => {
    const only = chainTextStages(createFindReplaceStages([{ find: 'trackingEnabled: true', replace: '' }], 'text/html', demoMapUrl).stages);
    expect(only.push('x'.repeat(1000))).toHaveLength(1000 - 20);
    expect(only.push('y'.repeat(5))).toBe('x'.repeat(5));
    expect(only.push('')).toBe('');
    expect(only.end()).toBe(`${'x'.repeat(15)}yyyyy`);
  });

  it('a piece shorter than the find length is held whole until more comes', () => {
    const only = chainTextStages(createFindReplaceStages([{ find: 'abcdef', replace: 'X' }], 'text/html', demoMapUrl).stages);
    expect(only.push('abc')).toBe('');
    expect(only.push('def')).toBe('X');
    expect(only.push('ab')).toBe('');
    expect(only.end()).toBe('ab');
  });
});
