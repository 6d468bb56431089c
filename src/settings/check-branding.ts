import { AA_TEXT_CONTRAST, computeContrastRatio, parseHexColour } from '../lib/colour-contrast.ts';
import type { Problem } from '../lib/problem.ts';
import type { BrandColours } from './branding-schema.ts';

/** Each pair of colours a patron reads: the text colour and the colour behind it. */
const READ_PAIRS: ReadonlyArray<{ readonly fore: keyof BrandColours; readonly back: keyof BrandColours; readonly what: string }> = [
  { fore: 'text', back: 'background', what: 'page text' },
  { fore: 'accent', back: 'background', what: 'links and outlined buttons' },
  { fore: 'accentText', back: 'accent', what: 'the text of filled buttons' },
  { fore: 'headerText', back: 'header', what: "the library's name and links in the header" },
];

/** The ratio as staff read it: 4.48:1 (two decimals, never rounded up past the limit). */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/**
 * Every pair of branding colours whose contrast is below WCAG AA for normal text (4.5:1), as a
 * problem on the foreground colour's key. Colours that are not hex are the schema's problem.
 */
export function checkBrandColours(file: string, colours: BrandColours): Problem[] {
  const problems: Problem[] = [];
  for (const pair of READ_PAIRS) {
    const fore = parseHexColour(colours[pair.fore]);
    const back = parseHexColour(colours[pair.back]);
    if (!fore || !back) continue;
    const ratio = computeContrastRatio(fore, back);
    if (ratio < AA_TEXT_CONTRAST) {
      problems.push({
        file,
        path: `branding.colours.${pair.fore}`,
        message: `${colours[pair.fore]} on ${pair.back} ${colours[pair.back]} (${pair.what}) has a contrast of ${formatRatio(ratio)}, below the ${AA_TEXT_CONTRAST}:1 WCAG AA needs for text`,
        fix: `make ${pair.fore} darker or lighter against ${colours[pair.back]}, or change ${pair.back}, until the contrast is at least ${AA_TEXT_CONTRAST}:1`,
      });
    }
  }
  return problems;
}
