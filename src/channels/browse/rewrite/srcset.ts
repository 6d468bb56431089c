import { BLOCKED_URL } from './rewrite-options.ts';
import type { UrlMapper } from './url-mapper.ts';

/**
 * `srcset` and `imagesrcset`: every candidate's URL is a load through the mapper (parsed as the HTML
 * standard does: a URL is a run of non-space characters, trailing commas end a candidate,
 * descriptors run to the next comma outside parentheses). A refused or removed candidate is dropped,
 * so the browser picks among the others or falls back to src. Returns undefined when nothing changed.
 */
export function rewriteSrcset(value: string, mapper: UrlMapper): string | undefined {
  const candidates: string[] = [];
  let changed = false;
  let i = 0;
  while (i < value.length) {
    while (i < value.length && (isSpace(value[i]!) || value[i] === ',')) i++;
    if (i >= value.length) break;
    let end = i;
    while (end < value.length && !isSpace(value[end]!)) end++;
    let url = value.slice(i, end);
    let descriptors = '';
    i = end;
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let depth = 0;
      const start = i;
      while (i < value.length && !(value[i] === ',' && depth === 0)) {
        if (value[i] === '(') depth++;
        else if (value[i] === ')' && depth > 0) depth--;
        i++;
      }
      descriptors = value.slice(start, i).trim();
    }
    const mapped = mapper.map(url, 'load');
    if (mapped === null || mapped === BLOCKED_URL) {
      changed = true;
      continue;
    }
    if (mapped !== undefined) changed = true;
    const written = mapped ?? url;
    candidates.push(descriptors === '' ? written : `${written} ${descriptors}`);
  }
  return changed ? candidates.join(', ') : undefined;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
}
