import { describe, expect, it } from 'vitest';
import { AA_TEXT_CONTRAST, computeContrastRatio, computeLuminance, parseHexColour } from '../../../src/lib/colour-contrast.ts';

describe('parseHexColour', () => {
  it.each([
    ['#000000', [0, 0, 0]],
    ['#ffffff', [255, 255, 255]],
    ['#FFFFFF', [255, 255, 255]],
    ['#0b4fa8', [11, 79, 168]],
    ['#fa0', [255, 170, 0]],
    ['#A1b', [170, 17, 187]],
  ])('%s is read as %j (six digits, or three doubled; either case)', (text, rgb) => {
    expect(parseHexColour(text)).toEqual(rgb);
  });

  it.each([['000000', 'no #'], ['#00000', 'five digits'], ['#0000000', 'seven digits'], ['#ggg', 'not hex'], ['#12', 'two digits'], ['red', 'a name'], ['', 'empty'], [' #000000', 'a leading space'], ['#000000 ', 'a trailing space'], ['#1234', 'four digits']])('%j is refused (%s)', (text) => {
    expect(parseHexColour(text)).toBeUndefined();
  });
});

describe('WCAG contrast (reference values from the WCAG 2.2 definition and WebAIM’s checker)', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#000000', 21],
    ['#ffffff', '#ffffff', 1],
    ['#767676', '#ffffff', 4.54],
    ['#777777', '#ffffff', 4.48],
    ['#ff0000', '#ffffff', 4],
    ['#00ff00', '#000000', 15.3],
    ['#0000ff', '#ffffff', 8.59],
  ])('%s against %s is %d:1', (a, b, ratio) => {
    expect(computeContrastRatio(parseHexColour(a) ?? [0, 0, 0], parseHexColour(b) ?? [0, 0, 0])).toBeCloseTo(ratio, 1);
  });

  it('luminance runs from 0 for black to 1 for white, with green weighing most and the linear segment below 0.04045', () => {
    expect(computeLuminance([0, 0, 0])).toBe(0);
    expect(computeLuminance([255, 255, 255])).toBeCloseTo(1, 10);
    expect(computeLuminance([0, 255, 0])).toBeCloseTo(0.7152, 4);
    expect(computeLuminance([255, 0, 0])).toBeCloseTo(0.2126, 4);
    expect(computeLuminance([0, 0, 255])).toBeCloseTo(0.0722, 4);
    // 10/255 = 0.0392 is in the linear segment (c / 12.92); 11/255 = 0.0431 is on the curve.
    expect(computeLuminance([10, 10, 10])).toBeCloseTo(10 / 255 / 12.92, 8);
    expect(computeLuminance([11, 11, 11])).toBeCloseTo(((11 / 255 + 0.055) / 1.055) ** 2.4, 8);
  });

  it('AA for normal text is 4.5:1', () => {
    expect(AA_TEXT_CONTRAST).toBe(4.5);
  });
});
