import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { TestPatron } from './gateway-harness.ts';

/** The demo PINs, as documented in the README. */
export const DEMO_PINS: Readonly<Record<string, string>> = {
  '29000000000001': '1111',
  '29000000000002': '2222',
  '29000000000003': '3333',
  '29000000000004': '4444',
  '29000000000005': '5555',
  '29000000000006': '6666',
  '29000000000007': '7777',
  '29000000000008': '8888',
  '29000000000009': '9999',
  '29000000000010': '1234',
};

/** The shipped demo patrons, with their documented PINs. */
export function loadDemoPatrons(): TestPatron[] {
  const records = parse(readFileSync('config/demo-patrons.yaml', 'utf8')) as Array<Record<string, unknown>>;
  return records.map(({ pinHash: _pinHash, ...record }) => ({ record, pin: DEMO_PINS[String(record['barcode'])] ?? '' }));
}

/** The shipped demo contracts (not the grant), pointed at a test upstream. */
export function loadDemoContracts(upstreamUrl: string): Record<string, string> {
  return Object.fromEntries(
    ['ebooks-demo', 'research-db-demo', 'streaming-demo'].map((id) => [id, readFileSync(`vendors/${id}.yaml`, 'utf8').replace(/url: http:\/\/127\.0\.0\.1:\d+/, `url: ${upstreamUrl}`)]),
  );
}

/** The demo settings' branding and labels (config/gateway.yaml), with the logo and favicon paths made absolute for a harness. */
export function loadDemoBranding(): { branding: Record<string, unknown>; labels: Record<string, unknown> } {
  const settings = parse(readFileSync('config/gateway.yaml', 'utf8')) as { branding: Record<string, unknown>; labels: Record<string, unknown> };
  const absolute = (path: unknown) => resolve('config', String(path));
  return { branding: { ...settings.branding, logo: absolute(settings.branding['logo']), favicon: absolute(settings.branding['favicon']) }, labels: settings.labels };
}
