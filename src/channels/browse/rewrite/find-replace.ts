import { createPatternReplacer, escapeForPattern } from './pattern-replacer.ts';
import { DEFAULT_REPLACE_TYPES, type MapUrl, type ReplaceRule } from './rewrite-options.ts';
import type { TextStage } from './text-stage.ts';

/**
 * The contract's find/replace rules (EZproxy Find/Replace) for one media type: each rule applies, in
 * the contract's order, to the upstream text before any other rewriting, as exact text (no patterns).
 * A match split across chunks is found: each rule holds back its find length minus one characters.
 * `{proxy:HOST}` in a replacement becomes HOST's proxied origin (scheme and host, through mapUrl);
 * a host mapUrl refuses expands to nothing. The origins so produced are returned, so the HTML and CSS
 * rewriters leave URLs on them alone.
 */
export function createFindReplaceStages(
  rules: ReadonlyArray<ReplaceRule>,
  mediaType: string,
  mapUrl: MapUrl,
): { stages: TextStage[]; proxiedOrigins: string[] } {
  const stages: TextStage[] = [];
  const proxiedOrigins: string[] = [];
  for (const rule of rules) {
    if (!(rule.types ?? DEFAULT_REPLACE_TYPES).includes(mediaType)) continue;
    const replacement = rule.replace.replace(/\{proxy:([^}]+)\}/g, (_, host: string) => {
      const origin = proxiedOriginOf(host.trim().toLowerCase(), mapUrl);
      if (origin !== undefined) proxiedOrigins.push(origin);
      return origin ?? '';
    });
    const find = new RegExp(escapeForPattern(rule.find), 'g');
    stages.push(createPatternReplacer(find, () => replacement, rule.find.length, 0));
  }
  return { stages, proxiedOrigins };
}

function proxiedOriginOf(host: string, mapUrl: MapUrl): string | undefined {
  const mapped = mapUrl(`https://${host}/`, 'load');
  if (mapped === undefined) return undefined;
  try {
    return new URL(mapped).origin;
  } catch {
    return undefined;
  }
}
