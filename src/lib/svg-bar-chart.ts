import { html, type SafeHtml } from './html.ts';

/**
 * A horizontal bar chart as inline SVG, drawn on the server (no scripts). It is an image with a
 * title for screen readers; the same numbers are always in a table beside it. A bar whose value
 * is not known (`null`: a figure not published) gets no bar at all and the marker in its place,
 * never a bar of 0.
 */
export function renderBarChart(options: { id: string; title: string; bars: ReadonlyArray<{ label: string; value: number | null }>; missingMarker?: string }): SafeHtml {
  const rowHeight = 26;
  const labelWidth = 190;
  const barWidth = 300;
  const max = Math.max(1, ...options.bars.map((b) => b.value ?? 0));
  const height = Math.max(rowHeight, options.bars.length * rowHeight) + 8;
  return html`<svg role="img" aria-labelledby="${options.id}-title" width="100%" viewBox="0 0 ${labelWidth + barWidth + 80} ${height}" xmlns="http://www.w3.org/2000/svg">
<title id="${options.id}-title">${options.title}</title>
${options.bars.map((bar, i) => {
  const y = 4 + i * rowHeight;
  const label = html`<text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end" font-size="13" fill="#1a1a1a">${bar.label}</text>`;
  if (bar.value === null) {
    return html`${label}<text class="missing" x="${labelWidth + 6}" y="${y + 17}" font-size="13" font-style="italic" fill="#1a1a1a">${options.missingMarker ?? 'not published'}</text>`;
  }
  const w = Math.round((bar.value / max) * barWidth);
  return html`${label}<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(w, 1)}" height="${rowHeight - 8}" fill="#0b4fa8"></rect><text x="${labelWidth + Math.max(w, 1) + 6}" y="${y + 17}" font-size="13" fill="#1a1a1a">${bar.value}</text>`;
})}
</svg>`;
}
