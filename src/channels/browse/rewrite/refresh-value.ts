import type { UrlMapper } from './url-mapper.ts';

/**
 * A `<meta http-equiv="refresh">` content or a Refresh header: `5; url=https://...` (the HTML
 * standard's shared declarative refresh steps: a delay, then `;` or `,`, an optional `url=`, an
 * optional quote). The URL is a navigation through the mapper. Returns undefined when nothing
 * changes; a removed (javascript:) target drops the URL and keeps the delay (a reload of the page).
 */
const REFRESH = /^(\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?)(["']?)(.*?)(\2?\s*)$/is;

export function rewriteRefreshValue(value: string, mapper: UrlMapper): string | undefined {
  const m = REFRESH.exec(value);
  if (m === null) return undefined;
  const [, head, quote, url] = m as unknown as [string, string, string, string, string];
  if (url === '') return undefined;
  const mapped = mapper.map(url, 'navigate');
  if (mapped === undefined) return undefined;
  if (mapped === null) return head.replace(/[;,]?\s*(?:url\s*=\s*)?$/i, '');
  return `${head}${quote}${mapped}${quote}`;
}
