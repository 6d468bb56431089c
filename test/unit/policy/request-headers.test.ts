import { describe, expect, it } from 'vitest';
import { isNeverForwarded } from '../../../src/policy/request-headers.ts';

describe('isNeverForwarded', () => {
  it.each([
    ['Cookie in any case is never forwarded (it carries the gateway session)', 'Cookie', true],
    ['Authorization is never forwarded', 'authorization', true],
    ['Referer is never forwarded (it names the page the patron came from)', 'REFERER', true],
    ['any X-Forwarded- header is never forwarded (it carries the patron\'s address)', 'X-Forwarded-Host', true],
    ['a header merely ending in x-forwarded- may be listed (only the prefix is reserved)', 'my-x-forwarded-', false],
    ['X-Requested-With may be listed by a contract', 'X-Requested-With', false],
    ['an ordinary vendor header may be listed', 'x-api-version', false],
  ])('%s', (_name, header, expected) => {
    expect(isNeverForwarded(header)).toBe(expected);
  });
});
