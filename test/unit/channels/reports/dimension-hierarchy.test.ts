import { describe, expect, it } from 'vitest';
import type { CompiledDimension } from '../../../../src/contracts/compiled-contract.ts';
import { coarsenPeriod, findHierarchyPairs, isHierarchyCell } from '../../../../src/channels/reports/dimension-hierarchy.ts';

const month: CompiledDimension = { name: 'month', from: 'date', generalize: 'month', within: 'quarter' };
const quarter: CompiledDimension = { name: 'quarter', from: 'date', generalize: 'quarter', within: 'year' };
const year: CompiledDimension = { name: 'year', from: 'date', generalize: 'year' };
const branch: CompiledDimension = { name: 'branch', from: 'branch', generalize: 'none' };

describe('declared hierarchies', () => {
  it('finds every nested pair, through the chain (month within quarter within year)', () => {
    expect(findHierarchyPairs([branch, month, quarter, year])).toEqual([{ fine: 1, coarse: 2 }, { fine: 1, coarse: 3 }, { fine: 2, coarse: 3 }]);
    expect(findHierarchyPairs([branch, { ...month, within: undefined } as CompiledDimension, quarter])).toEqual([]);
  });

  it.each([
    ['2026-07', 'quarter', '2026-Q3'],
    ['2026-12', 'quarter', '2026-Q4'],
    ['2026-01', 'year', '2026'],
    ['2026-Q2', 'year', '2026'],
  ] as const)('%s lies in the %s %s', (value, to, expected) => {
    expect(coarsenPeriod(value, to)).toBe(expected);
  });

  const dims = [month, quarter, branch];
  const pairs = findHierarchyPairs(dims);
  it.each([
    ['July in Q3 is a cell', ['2026-07', '2026-Q3', 'main'], true],
    ['July in Q4 cannot occur: no cell (never a zero that protects)', ['2026-07', '2026-Q4', 'main'], false],
    ['July summed over quarters is July itself: not published twice', ['2026-07', null, 'main'], false],
    ['a quarter summed over its months is a subtotal', [null, '2026-Q3', 'main'], true],
    ['the grand total', [null, null, null], true],
    ['July in Q3 over every branch', ['2026-07', '2026-Q3', null], true],
  ] as const)('%s', (_why, values, expected) => {
    expect(isHierarchyCell(values, dims, pairs)).toBe(expected);
  });
});
