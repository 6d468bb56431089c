import type { MapUrl } from './rewrite-options.ts';

/**
 * The vendor's own Content-Security-Policy, made true on the proxied origins: each host source
 * (`cdn.vendor.com`, `https://api.vendor.com:443/path`) becomes the proxied origin mapUrl gives for
 * it (path kept); a wildcard host (`*.vendor.com`) or a host mapUrl refuses is dropped, and a
 * directive left with no source becomes 'none' (it was meant to allow only hosts we do not serve).
 * Keywords, nonces, hashes, scheme sources and `*` stay: the gateway's own CSP, which the browse
 * channel adds beside this one, is what limits the page to proxied origins. report-uri and
 * report-to are removed (reports would go to the vendor directly). A report-only policy is dropped
 * altogether by rewriteResponseHeaders (it only reports).
 */
export function rewriteContentSecurityPolicy(policy: string, mapUrl: MapUrl): string {
  const directives: string[] = [];
  for (const directive of policy.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    const lower = name.toLowerCase();
    if (lower === 'report-uri' || lower === 'report-to') continue;
    if (sources.length === 0) {
      directives.push(name);
      continue;
    }
    const mapped: string[] = [];
    for (const source of sources) {
      const rewritten = rewriteSource(source, mapUrl);
      if (rewritten !== undefined) mapped.push(rewritten);
    }
    directives.push(`${name} ${mapped.length === 0 ? "'none'" : mapped.join(' ')}`);
  }
  return directives.join('; ');
}

const HOST_SOURCE = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/:]+)(:(?:\d+|\*))?(\/.*)?$/i;

function rewriteSource(source: string, mapUrl: MapUrl): string | undefined {
  if (source.startsWith("'") || source === '*' || /^[a-z][a-z0-9+.-]*:$/i.test(source)) return source;
  const m = HOST_SOURCE.exec(source);
  if (m === null) return undefined;
  const [, scheme, host, port, path] = m;
  if (host!.includes('*') || port === ':*') return undefined;
  const proto = scheme?.toLowerCase() === 'http' || scheme?.toLowerCase() === 'ws' ? 'http' : 'https';
  let target: string;
  try {
    target = new URL(`${proto}://${host}${port ?? ''}/`).href;
  } catch {
    return undefined;
  }
  const mapped = mapUrl(target, 'load');
  if (mapped === undefined) return undefined;
  try {
    return new URL(mapped).origin + (path ?? '');
  } catch {
    return undefined;
  }
}
