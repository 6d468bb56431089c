import { describe, expect, it } from 'vitest';
import { createCollectionBlock } from '../../../../src/channels/browse/collection-block.ts';
import { DEFAULT_COLLECTION_PATHS } from '../../../../src/channels/browse/default-collection-paths.ts';

describe('collection endpoints', () => {
  const withDefaults = createCollectionBlock({ paths: ['/metrics/', '/Beacon-Log'], defaults: true });
  const withoutDefaults = createCollectionBlock({ paths: ['/metrics/'], defaults: false });
  const table: Array<[string, string, boolean, boolean]> = [
    ['a contract path prefix ending in / blocks everything under it', '/metrics/v1/hit', true, true],
    ['a contract path is matched whatever the case', '/beacon-log', true, false],
    ['a default path, exactly', '/g/collect', true, false],
    ['a default path with a query', '/g/collect?v=2&tid=1', true, false],
    ['a default path with more segments', '/collect/x', true, false],
    ['a default path percent-encoded', '/g/%63ollect', true, false],
    ['a default path in capitals', '/MATOMO.PHP', true, false],
    ['a longer word that starts like a default path is not blocked', '/collections', false, false],
    ['a default path after another segment is not blocked (prefixes only)', '/books/collect', false, false],
    ['an ordinary page', '/articles/1', false, false],
    ['a malformed escape is matched as written', '/g/collect/%zz', true, false],
  ];
  it.each(table)('%s: %s', (_why, target, blockedWithDefaults, blockedWithout) => {
    expect(withDefaults(target)).toBe(blockedWithDefaults);
    expect(withoutDefaults(target)).toBe(blockedWithout);
  });

  it('the shipped list holds lower-case path prefixes only', () => {
    for (const path of DEFAULT_COLLECTION_PATHS) {
      expect(path.startsWith('/')).toBe(true);
      expect(path).toBe(path.toLowerCase());
    }
  });
});
