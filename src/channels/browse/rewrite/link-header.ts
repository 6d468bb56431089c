import { BLOCKED_URL } from './rewrite-options.ts';
import type { UrlMapper } from './url-mapper.ts';

/**
 * A Link header (RFC 8288): `<url>; rel=preload, <url2>; rel=next`. Every target is a load through
 * the mapper; a link whose target is refused or removed is dropped. Returns undefined when nothing is
 * left. Commas inside <...> or quoted parameters do not split links.
 */
export function rewriteLinkHeader(value: string, mapper: UrlMapper): string | undefined {
  const kept: string[] = [];
  for (const link of splitLinks(value)) {
    const m = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (m === null) {
      if (link.trim() !== '') kept.push(link.trim());
      continue;
    }
    const mapped = mapper.map(m[1]!, 'load');
    if (mapped === null || mapped === BLOCKED_URL) continue;
    kept.push(`<${mapped ?? m[1]}>${m[2]}`);
  }
  return kept.length === 0 ? undefined : kept.join(', ');
}

function splitLinks(value: string): string[] {
  const links: string[] = [];
  let start = 0;
  let inUrl = false;
  let inQuote = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (inUrl) {
      if (c === '>') inUrl = false;
    } else if (c === '<') inUrl = true;
    else if (c === '"') inQuote = true;
    else if (c === ',') {
      links.push(value.slice(start, i));
      start = i + 1;
    }
  }
  links.push(value.slice(start));
  return links;
}
