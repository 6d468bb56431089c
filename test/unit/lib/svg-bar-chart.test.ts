import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../../../src/lib/svg-bar-chart.ts';

describe('renderBarChart', () => {
  it.each([
    ['a known value is a bar with its number', { label: 'east', value: 30 }, /<text[^>]*>east<\/text><rect x="190" y="8" width="300" height="18"[^>]*><\/rect><text[^>]*>30<\/text>/],
    ['a zero is a hairline bar with 0 (a true zero is a fact)', { label: 'west', value: 0 }, /<text[^>]*>west<\/text><rect x="190" y="8" width="1"[^>]*><\/rect><text x="197"[^>]*>0<\/text>/],
    ['an unknown value (not published) is the marker and no bar, never 0', { label: 'north', value: null }, /<text[^>]*>north<\/text><text class="missing" x="196" y="21"[^>]*font-style="italic"[^>]*>x<\/text>$/m],
  ])('%s', (_why, bar, expected) => {
    const svg = renderBarChart({ id: 'c', title: 'T', bars: [bar], missingMarker: 'x' }).value;
    expect(svg).toMatch(expected);
    if (bar.value === null) expect(svg).not.toMatch(/<rect|>0</);
  });

  it('scales bars to the largest known value (an unknown one does not count), and rows stack', () => {
    const svg = renderBarChart({ id: 'c', title: 'T', bars: [{ label: 'a', value: 10 }, { label: 'b', value: null }, { label: 'c', value: 5 }], missingMarker: 'x' }).value;
    expect(svg).toMatch(/viewBox="0 0 570 86"/);
    expect([...svg.matchAll(/<rect x="190" y="(\d+)" width="(\d+)"/g)].map((m) => [m[1], m[2]])).toEqual([['8', '300'], ['60', '150']]);
    expect(svg).toMatch(/<text class="missing" x="196" y="47"/);
  });

  it('without a marker says "not published", and escapes labels', () => {
    const svg = renderBarChart({ id: 'c', title: 'T', bars: [{ label: '<b>', value: null }] }).value;
    expect(svg).toMatch(/>not published<\/text>/);
    expect(svg).toContain('&#60;b&#62;');
  });
});
