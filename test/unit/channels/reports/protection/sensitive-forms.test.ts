import { describe, expect, it } from 'vitest';
import { buildAttackerModel } from '../../../../../src/channels/reports/protection/attacker-model.ts';
import { findSensitiveForms } from '../../../../../src/channels/reports/protection/sensitive-forms.ts';
import type { ProtectedMeasure } from '../../../../../src/channels/reports/protection/index.ts';
import { buildTestTable, type Visit } from '../../../../helpers/report-tables.ts';

function formsOf(visits: Visit[], sizes: number[], options: { minCellSize: number; measures: ProtectedMeasure[]; sensitiveDimensions?: number[]; totals?: boolean }) {
  const table = buildTestTable(sizes, visits, { totals: options.totals ?? true });
  const model = buildAttackerModel(table, options);
  return { table, forms: findSensitiveForms(table, model, options) };
}

const people = (count: number, at: number[], from = 0, times = 1): Visit[] => Array.from({ length: count }, (_, i) => ({ person: from + i, at, times }));

describe('findSensitiveForms', () => {
  it.each([
    ['k-1 people is small: both published measures of the cell', 4, 5, 2],
    ['k people is not small', 5, 5, 0],
    ['1 person is small', 1, 5, 2],
  ])('%s', (_name, count, k, expected) => {
    const { forms } = formsOf(people(count, [0]), [1], { minCellSize: k, measures: ['participants', 'attendances'], totals: false });
    expect(forms.filter((f) => f.kind === 'small-cell')).toHaveLength(expected);
    for (const f of forms) expect(f.value).toBe(count);
  });

  it('a cell small in participants only is small: 3 people with 15 attendances (both figures protected)', () => {
    const { forms } = formsOf(people(3, [0], 0, 5), [1], { minCellSize: 5, measures: ['participants', 'attendances'], totals: false });
    expect(forms.map((f) => [f.terms[0]?.measure, f.value]).sort()).toEqual([['attendances', 15], ['participants', 3]]);
  });

  it('a zero figure of a small cell needs no form (nothing to hide below 0)', () => {
    const { forms } = formsOf(people(3, [0]), [1], { minCellSize: 5, measures: ['participants'], totals: false });
    expect(forms).toHaveLength(1);
    expect(forms[0]?.terms).toEqual([{ cell: 0, measure: 'participants', coefficient: 1 }]);
  });

  it('an implied group: the distinct total minus one part, when 1..k-1 people', () => {
    // 12 people at both programmes, 2 more only at programme 0.
    const visits = [...people(12, [0]), ...people(12, [1]), ...people(2, [0], 100)];
    const { table, forms } = formsOf(visits, [2], { minCellSize: 11, measures: ['participants'] });
    const groups = forms.filter((f) => f.kind === 'implied-group');
    expect(groups).toHaveLength(1);
    const total = table.cells.findIndex((c) => c.values[0] === null);
    expect(groups[0]?.value).toBe(2);
    expect(groups[0]?.terms.map((t) => [t.cell, t.coefficient])).toEqual([[total, 1], [1, -1]]);
  });

  it('no implied groups when participants are not published', () => {
    const visits = [...people(12, [0]), ...people(12, [1]), ...people(2, [0], 100)];
    const { forms } = formsOf(visits, [2], { minCellSize: 11, measures: ['attendances'] });
    expect(forms.filter((f) => f.kind === 'implied-group')).toEqual([]);
  });

  it.each([
    ['a zero beside a non-empty group in a sensitive dimension is protected', [1], 2],
    // Read the other way, the same zero says every person of (., 1) is in group 1 of dimension 0.
    ['the same zero read along the other dimension, when that one is sensitive', [0], 2],
    ['no sensitive dimensions: no zero is', [], 0],
  ])('%s', (_name, sensitive, expected) => {
    // Group 0 (dimension 0) is all value 0 of dimension 1: the zero at (0, 1) tells.
    const visits = [...people(14, [0, 0]), ...people(12, [1, 0], 50), ...people(13, [1, 1], 80)];
    const { forms } = formsOf(visits, [2, 2], { minCellSize: 5, measures: ['participants', 'attendances'], sensitiveDimensions: sensitive });
    const zeros = forms.filter((f) => f.kind === 'sensitive-zero');
    expect(zeros).toHaveLength(expected);
    for (const z of zeros) expect(z.value).toBe(0);
    expect(zeros.map((z) => z.terms.map((t) => [t.measure, t.coefficient]))).toEqual(expected ? [[['participants', 1]], [['attendances', 1]]] : []);
  });

  it('without totals, the group is the sum of the cells beside the zero', () => {
    const visits = [...people(14, [0, 0]), ...people(12, [1, 0], 50), ...people(13, [1, 1], 80)];
    const { forms } = formsOf(visits, [2, 2], { minCellSize: 5, measures: ['participants'], sensitiveDimensions: [1], totals: false });
    expect(forms.filter((f) => f.kind === 'sensitive-zero').map((f) => f.terms[0]?.cell)).toEqual([1]);
  });

  it('a zero in an empty group reveals nothing about anyone', () => {
    const visits = [...people(12, [1, 0]), ...people(13, [1, 1], 50)];
    const { forms } = formsOf(visits, [2, 2], { minCellSize: 5, measures: ['participants'], sensitiveDimensions: [1] });
    expect(forms.filter((f) => f.kind === 'sensitive-zero')).toEqual([]);
  });
});
