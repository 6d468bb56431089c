import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

interface Family {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}

const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

/**
 * Parses an exposition with a real Prometheus text parser and reads one sample (0 when absent).
 * Vendor families carry a `channel` label (http or sip2): when `labels` names none, the sample of
 * the HTTP channel is read.
 */
export function readSample(text: string, name: string, wanted: Record<string, string>): number {
  const family = parse(text).find((f) => f.name === name);
  const vendorFamily = family?.metrics.some((m) => m.labels?.['channel'] !== undefined) ?? false;
  const labels = vendorFamily && wanted['channel'] === undefined ? { ...wanted, channel: 'http' } : wanted;
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v) && Object.keys(m.labels ?? {}).length === Object.keys(labels).length);
  return sample?.value === undefined ? 0 : Number(sample.value);
}

/** Every family name in an exposition. */
export function listFamilies(text: string): string[] {
  return parse(text).map((f) => f.name);
}

/** Runs Debian's `promtool check metrics` on an exposition; fails loudly when promtool is missing. */
export function checkWithPromtool(text: string): { status: number; output: string } {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool is missing (install Debian's prometheus package; .ci/run does): ${result.error.message}`);
  return { status: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
