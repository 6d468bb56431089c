/**
 * WCAG 2.2 contrast (success criterion 1.4.3): relative luminance of sRGB colours and the ratio
 * between two of them, for the colours a library sets in `branding.colours`.
 */

/** Text smaller than 18pt (or 14pt bold) needs this ratio against its background (level AA). */
export const AA_TEXT_CONTRAST = 4.5;

/** `#rgb` or `#rrggbb` as red, green and blue from 0 to 255; undefined for anything else. */
export function parseHexColour(text: string): readonly [number, number, number] | undefined {
  const match = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.exec(text);
  if (!match) return undefined;
  const hex = match[1] as string;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [Number.parseInt(full.slice(0, 2), 16), Number.parseInt(full.slice(2, 4), 16), Number.parseInt(full.slice(4, 6), 16)];
}

/** One sRGB channel (0-255) made linear. */
function linearize(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance, from 0 (black) to 1 (white). */
export function computeLuminance(rgb: readonly [number, number, number]): number {
  return 0.2126 * linearize(rgb[0]) + 0.7152 * linearize(rgb[1]) + 0.0722 * linearize(rgb[2]);
}

/** The contrast ratio between two colours, from 1 (the same) to 21 (black on white), whichever is lighter. */
export function computeContrastRatio(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  const la = computeLuminance(a);
  const lb = computeLuminance(b);
  const [light, dark] = la >= lb ? [la, lb] : [lb, la];
  return (light + 0.05) / (dark + 0.05);
}
