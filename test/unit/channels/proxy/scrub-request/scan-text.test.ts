import { describe, expect, it } from 'vitest';
import { scanText } from '../../../../../src/channels/proxy/scrub-request/scan-text.ts';
import { createPatronGuard } from '../../../../../src/policy/guard/patron-guard.ts';

const patron = { patronId: 'p-1', barcode: '27311000864209', email: 'k.weatherby@post.example' };

describe('scanText', () => {
  it.each([
    ['a value as is is redacted in place, the rest untouched (+ stays +)', 'a+b 27311000864209 %zz', 'a+b [redacted] %zz', 1],
    ['a value found only percent-encoded is redacted in the decoded text', 'x %32%37%33%31%31%30%30%30%38%36%34%32%30%39', 'x [redacted]', 1],
    ['a value found only twice percent-encoded is redacted (the second pass)', 'x %2532%2537%2533%2531%2531%2530%2530%2530%2538%2536%2534%2532%2530%2539', 'x [redacted]', 1],
    ['a value found only as character references is redacted', 'k.weatherby&#64;post.example', '[redacted]', 1],
    ['character references inside percent-encoding are decoded too', 'k.weatherby%26%2364%3Bpost.example', '[redacted]', 1],
    ['a value as is and another encoded are both counted', '27311000864209 k.weatherby%40post.example', '[redacted] [redacted]', 2],
    ['clean encoded text is returned exactly as it came (not decoded)', 'a%20b &amp; c+d', 'a%20b &amp; c+d', 0],
  ])('%s', (_name, input, expected, found) => {
    expect(scanText(input, createPatronGuard(patron))).toEqual({ text: expected, found });
  });
});
