import { describe, expect, it } from 'vitest';
import { describeNeverReleasable } from '../../../src/policy/canonical-fields.ts';

describe('describeNeverReleasable', () => {
  it.each([
    ['a field named for a card number in mixed case is payment data', 'CardNumber', 'payment card data'],
    ['punctuation and case are ignored (credit_card)', 'Credit_Card', 'payment card data'],
    ['a dotted name is judged by its last part too (patron.loans)', 'patron.loans', 'the library record (loans, holds, history)'],
    ['a dotted name is judged whole as well (Library.Record, whose last part alone is harmless)', 'Library.Record', 'the library record (loans, holds, history)'],
    ['the last part with punctuation is cleaned before matching (record.Reading-History)', 'record.Reading-History', 'the library record (loans, holds, history)'],
    ['an ordinary field name is releasable', 'homeBranch', undefined],
    ['a name that only contains a forbidden word is releasable (whole names only)', 'cardholderName', undefined],
  ])('%s', (_name, field, expected) => {
    expect(describeNeverReleasable(field)).toBe(expected);
  });
});
