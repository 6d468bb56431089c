import { DEFAULT_COLLECTION_PATHS } from './default-collection-paths.ts';

/**
 * Whether a request to an allowed vendor host is a first-party collection endpoint: its path (and
 * query) starts with one of the contract's `browse.block.paths` or, unless `defaults: false`, one of
 * the shipped list. Prefixes on segment boundaries (`/collect` blocks `/collect` and
 * `/collect?v=2`, never `/collections`), compared case-insensitively on the percent-decoded path, so
 * `/G/Collect` and `/%67/collect` are blocked too.
 */
export function createCollectionBlock(block: { readonly paths: ReadonlyArray<string>; readonly defaults: boolean }): (target: string) => boolean {
  const prefixes = [...block.paths, ...(block.defaults ? DEFAULT_COLLECTION_PATHS : [])].map((prefix) => prefix.toLowerCase());
  return (target) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(target);
    } catch {
      decoded = target;
    }
    const lower = decoded.toLowerCase();
    return prefixes.some((prefix) => lower.startsWith(prefix) && (lower.length === prefix.length || /[/?=.-]$/.test(prefix) || '/?#'.includes(lower[prefix.length] as string)));
  };
}
