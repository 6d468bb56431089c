import { describe, expect, it } from 'vitest';
import { parseMatrixAnswer, parseVectorAnswer } from '../../../src/metering/promql-result.ts';

const vector = (result: unknown, resultType = 'vector') => ({ status: 'success', data: { resultType, result } });

describe('parseVectorAnswer', () => {
  it('reads every sample of a vector, labels as given and values as numbers', () => {
    expect(
      parseVectorAnswer(
        vector([
          { metric: { vendor: 'a', outcome: 'proxied' }, value: [1700000000.5, '3'] },
          { metric: {}, value: [1700000000, '0.25'] },
        ]),
      ),
    ).toEqual({ ok: true, data: [{ labels: { vendor: 'a', outcome: 'proxied' }, value: 3 }, { labels: {}, value: 0.25 }] });
  });

  it('reads an empty vector as no samples (a family nobody publishes)', () => {
    expect(parseVectorAnswer(vector([]))).toEqual({ ok: true, data: [] });
  });

  it('reads a scalar as one sample without labels', () => {
    expect(parseVectorAnswer(vector([1700000000, '7'], 'scalar'))).toEqual({ ok: true, data: [{ labels: {}, value: 7 }] });
  });

  it.each([
    ['not an object', 'text', 'the answer is not a JSON object'],
    ['an array', [], 'the answer is not a JSON object'],
    ['null', null, 'the answer is not a JSON object'],
    ['an error answer (its reason cut at 200 characters)', { status: 'error', errorType: 'bad_data', error: `parse error ${'x'.repeat(300)}` }, `Prometheus refused the query: parse error ${'x'.repeat(188)}`],
    ['an error answer without a reason', { status: 'error' }, 'Prometheus did not answer "success"'],
    ['success without data', { status: 'success' }, 'the answer has no data'],
    ['a matrix where a vector was asked for', vector([], 'matrix'), 'expected a vector, got matrix'],
    ['a vector whose result is not a list', vector({}), 'expected a vector, got vector'],
    ['a scalar that is not a pair', vector([1], 'scalar'), 'the scalar is not a [time, "value"] pair'],
    ['a sample without metric', vector([{ value: [1, '1'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a sample whose metric is a list', vector([{ metric: [], value: [1, '1'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a sample that is null', vector([null]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a sample that is not an object', vector(['x']), 'a sample is not { metric, value: [time, "value"] }'],
    ['a label that is not a string', vector([{ metric: { vendor: 1 }, value: [1, '1'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a value written as a number', vector([{ metric: {}, value: [1, 1] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a value that is not a number', vector([{ metric: {}, value: [1, 'x'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['an empty value', vector([{ metric: {}, value: [1, ' '] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['NaN', vector([{ metric: {}, value: [1, 'NaN'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['+Inf', vector([{ metric: {}, value: [1, '+Inf'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a time that is not a number', vector([{ metric: {}, value: ['1', '1'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a time that is not finite', vector([{ metric: {}, value: [Number.POSITIVE_INFINITY, '1'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a point of three items', vector([{ metric: {}, value: [1, '1', '2'] }]), 'a sample is not { metric, value: [time, "value"] }'],
    ['a point of one item', vector([{ metric: {}, value: [1] }]), 'a sample is not { metric, value: [time, "value"] }'],
  ])('refuses %s, saying why', (_name, body, reason) => {
    expect(parseVectorAnswer(body)).toEqual({ ok: false, reason });
  });
});

describe('parseMatrixAnswer', () => {
  it('reads every series and every point', () => {
    expect(parseMatrixAnswer(vector([{ metric: { vendor: 'a' }, values: [[1, '1'], [2, '2.5']] }], 'matrix'))).toEqual({
      ok: true,
      data: [{ labels: { vendor: 'a' }, points: [[1, 1], [2, 2.5]] }],
    });
  });

  it.each([
    ['an error answer', { status: 'error', error: 'boom' }, 'Prometheus refused the query: boom'],
    ['a vector where a matrix was asked for', vector([]), 'expected a matrix, got vector'],
    ['a matrix whose result is not a list', vector('x', 'matrix'), 'expected a matrix, got matrix'],
    ['a series without values', vector([{ metric: {} }], 'matrix'), 'a series is not { metric, values: [[time, "value"], ...] }'],
    ['a series without metric', vector([{ values: [] }], 'matrix'), 'a series is not { metric, values: [[time, "value"], ...] }'],
    ['a bad point', vector([{ metric: {}, values: [[1, 'x']] }], 'matrix'), 'a point is not [time, "value"]'],
  ])('refuses %s, saying why', (_name, body, reason) => {
    expect(parseMatrixAnswer(body)).toEqual({ ok: false, reason });
  });
});
