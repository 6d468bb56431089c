/**
 * Prometheus's HTTP API answers (`/api/v1/query` and `/api/v1/query_range`) read into plain
 * samples. Pure: the text in, samples or a reason out; nothing from the answer is trusted beyond
 * its shape (labels are strings, values finite numbers).
 */

/** One series of an instant vector: its labels and its value. */
export interface VectorSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One series of a range query: its labels and its points (seconds since the epoch, value). */
export interface MatrixSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export type PromqlAnswer<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly reason: string };

/** Reads an instant query's answer (resultType vector or scalar). */
export function parseVectorAnswer(body: unknown): PromqlAnswer<VectorSample[]> {
  const data = readData(body);
  if (!data.ok) return data;
  const { resultType, result } = data.data;
  if (resultType === 'scalar') {
    const value = readPoint(result);
    return value === undefined ? fail('the scalar is not a [time, "value"] pair') : { ok: true, data: [{ labels: {}, value: value[1] }] };
  }
  if (resultType !== 'vector' || !Array.isArray(result)) return fail(`expected a vector, got ${String(resultType)}`);
  const samples: VectorSample[] = [];
  for (const entry of result) {
    const labels = readLabels(entry);
    const point = readPoint(isRecord(entry) ? entry['value'] : undefined);
    if (!labels || !point) return fail('a sample is not { metric, value: [time, "value"] }');
    samples.push({ labels, value: point[1] });
  }
  return { ok: true, data: samples };
}

/** Reads a range query's answer (resultType matrix). */
export function parseMatrixAnswer(body: unknown): PromqlAnswer<MatrixSeries[]> {
  const data = readData(body);
  if (!data.ok) return data;
  const { resultType, result } = data.data;
  if (resultType !== 'matrix' || !Array.isArray(result)) return fail(`expected a matrix, got ${String(resultType)}`);
  const series: MatrixSeries[] = [];
  for (const entry of result) {
    const labels = readLabels(entry);
    const values = isRecord(entry) ? entry['values'] : undefined;
    if (!labels || !Array.isArray(values)) return fail('a series is not { metric, values: [[time, "value"], ...] }');
    const points: Array<readonly [number, number]> = [];
    for (const raw of values) {
      const point = readPoint(raw);
      if (!point) return fail('a point is not [time, "value"]');
      points.push(point);
    }
    series.push({ labels, points });
  }
  return { ok: true, data: series };
}

function readData(body: unknown): PromqlAnswer<{ resultType: unknown; result: unknown }> {
  if (!isRecord(body)) return fail('the answer is not a JSON object');
  if (body['status'] !== 'success') return fail(typeof body['error'] === 'string' ? `Prometheus refused the query: ${body['error'].slice(0, 200)}` : 'Prometheus did not answer "success"');
  const data = body['data'];
  if (!isRecord(data)) return fail('the answer has no data');
  return { ok: true, data: { resultType: data['resultType'], result: data['result'] } };
}

function readLabels(entry: unknown): Record<string, string> | undefined {
  if (!isRecord(entry)) return undefined;
  const metric = entry['metric'];
  if (!isRecord(metric)) return undefined;
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(metric)) {
    if (typeof value !== 'string') return undefined;
    labels[name] = value;
  }
  return labels;
}

/** [seconds, "value"]: Prometheus writes values as strings ("NaN", "+Inf" included); only finite ones are kept. */
function readPoint(raw: unknown): readonly [number, number] | undefined {
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  const [time, text] = raw as [unknown, unknown];
  if (typeof time !== 'number' || !Number.isFinite(time) || typeof text !== 'string') return undefined;
  const value = Number(text);
  return text.trim() === '' || !Number.isFinite(value) ? undefined : [time, value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
