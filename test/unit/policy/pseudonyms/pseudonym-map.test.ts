import { describe, expect, it } from 'vitest';
import { createPseudonymKeys } from '../../../../src/policy/pseudonyms/pseudonym-keys.ts';
import { buildPseudonymMap } from '../../../../src/policy/pseudonyms/pseudonym-map.ts';

const SECRET = Buffer.alloc(32, 0x71);

describe('buildPseudonymMap', () => {
  it.each([
    ['one pair per patron, old at the first epoch and new at the second', ['a', 'b', 'c'], 1, 2, 3],
    ['a duplicated id gives one pair', ['a', 'a', 'b'], 1, 2, 2],
    ['epochs may go backwards (undoing a bump)', ['a', 'b'], 5, 4, 2],
    ['no ids, no pairs', [], 1, 2, 0],
  ])('%s', (_name, ids, from, to, count) => {
    const map = buildPseudonymMap({ masterSecret: SECRET, vendor: 'books', fromEpoch: from, toEpoch: to, patronIds: ids });
    const old = createPseudonymKeys({ masterSecret: SECRET, epoch: from });
    const next = createPseudonymKeys({ masterSecret: SECRET, epoch: to });
    expect(map.pairs).toHaveLength(count);
    for (const id of new Set(ids)) expect(map.pairs).toContainEqual([old.pseudonymize('books', id), next.pseudonymize('books', id)]);
    expect(map).toMatchObject({ vendor: 'books', fromEpoch: from, toEpoch: to });
  });

  it('sorts by the old pseudonym, whatever the order of the ids', () => {
    const ids = Array.from({ length: 50 }, (_, index) => `patron-${index}`);
    const forward = buildPseudonymMap({ masterSecret: SECRET, vendor: 'books', fromEpoch: 1, toEpoch: 2, patronIds: ids });
    const backward = buildPseudonymMap({ masterSecret: SECRET, vendor: 'books', fromEpoch: 1, toEpoch: 2, patronIds: [...ids].reverse() });
    expect(backward.pairs).toEqual(forward.pairs);
    const olds = forward.pairs.map(([old]) => old);
    expect(olds).toEqual([...olds].sort());
  });

  it('the pairs differ per vendor (pseudonyms are pairwise)', () => {
    const books = buildPseudonymMap({ masterSecret: SECRET, vendor: 'books', fromEpoch: 1, toEpoch: 2, patronIds: ['a'] });
    const films = buildPseudonymMap({ masterSecret: SECRET, vendor: 'films', fromEpoch: 1, toEpoch: 2, patronIds: ['a'] });
    expect(books.pairs[0]?.[0]).not.toBe(films.pairs[0]?.[0]);
    expect(books.pairs[0]?.[1]).not.toBe(films.pairs[0]?.[1]);
  });
});
