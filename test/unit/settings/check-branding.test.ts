import { describe, expect, it } from 'vitest';
import { COLOUR_DEFAULTS } from '../../../src/settings/branding-schema.ts';
import { checkBrandColours, formatRatio } from '../../../src/settings/check-branding.ts';

describe('branding colours against WCAG AA', () => {
  it('the default colours pass', () => {
    expect(checkBrandColours('gateway.yaml', { ...COLOUR_DEFAULTS })).toEqual([]);
  });

  it.each([
    ['grey text on white (4.48:1, just under)', { text: '#777777' }, ['branding.colours.text: #777777 on background #ffffff (page text) has a contrast of 4.47:1, below the 4.5:1 WCAG AA needs for text']],
    ['just enough grey text (4.54:1)', { text: '#767676' }, []],
    ['yellow links on white', { accent: '#ffd700', accentText: '#000000' }, ['branding.colours.accent: #ffd700 on background #ffffff (links and outlined buttons) has a contrast of 1.40:1, below the 4.5:1 WCAG AA needs for text']],
    ['white on a light button', { accentText: '#ffffff', accent: '#ff7f50' }, ['branding.colours.accent: #ff7f50 on background #ffffff (links and outlined buttons) has a contrast of 2.49:1, below the 4.5:1 WCAG AA needs for text', 'branding.colours.accentText: #ffffff on accent #ff7f50 (the text of filled buttons) has a contrast of 2.49:1, below the 4.5:1 WCAG AA needs for text']],
    ['a header the name cannot be read on', { header: '#cccccc', headerText: '#ffffff' }, ['branding.colours.headerText: #ffffff on header #cccccc (the library\'s name and links in the header) has a contrast of 1.60:1, below the 4.5:1 WCAG AA needs for text']],
    ['a dark theme that works', { text: '#f0f0f0', background: '#121212', accent: '#8ab4f8', accentText: '#121212', header: '#000000', headerText: '#ffffff' }, []],
    ['a colour that is not hex is left to the schema', { text: 'red' }, []],
  ])('%s', (_name, colours, expected) => {
    const problems = checkBrandColours('gateway.yaml', { ...COLOUR_DEFAULTS, ...colours });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual(expected);
    for (const problem of problems) {
      expect(problem.file).toBe('gateway.yaml');
      expect(problem.fix).toMatch(/until the contrast is at least 4\.5:1$/);
    }
  });

  it('a ratio is never rounded up past the limit', () => {
    expect(formatRatio(4.4999)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21.00:1');
    expect(formatRatio(4.5)).toBe('4.50:1');
  });
});
