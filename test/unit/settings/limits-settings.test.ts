import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/settings/load-settings.ts';
import { LIMIT_DEFAULTS } from '../../../src/settings/settings-schema.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-limits-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function load(limits: string) {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, `publicUrl: http://localhost:8080\nvendorsDir: v\npatrons: { file: p.yaml }\nsecrets: { pseudonymSecret: { env: P }, sessionKey: { env: S } }\n${limits}`);
  return loadSettings(file);
}

describe('limits for slow clients, bad vendors and stopping', () => {
  it.each([
    ['no limits section: every default', '', LIMIT_DEFAULTS],
    ['some limits given: the rest keep their defaults', 'limits: { maxConnections: 100, headersTimeoutMs: 1000, requestTimeoutMs: 1000, shutdownDelayMs: 5000 }', { ...LIMIT_DEFAULTS, maxConnections: 100, headersTimeoutMs: 1000, requestTimeoutMs: 1000, shutdownDelayMs: 5000 }],
  ])('%s', async (_name, yaml, expected) => {
    const loaded = await load(yaml);
    expect(loaded.problems).toEqual([]);
    expect(loaded.settings?.limits).toEqual(expected);
  });

  it.each([
    ['a whole request shorter than its headers', 'limits: { headersTimeoutMs: 5000, requestTimeoutMs: 1000 }', 'limits.requestTimeoutMs', /at least headersTimeoutMs/],
    ['a header timeout too short to be met', 'limits: { headersTimeoutMs: 10 }', 'limits.headersTimeoutMs', /200/],
    ['no upstream socket at all', 'limits: { upstreamSocketsPerVendor: 0 }', 'limits.upstreamSocketsPerVendor', /1/],
    ['a connection cap too small to serve health checks', 'limits: { maxConnections: 2 }', 'limits.maxConnections', /8/],
    ['a negative shutdown delay', 'limits: { shutdownDelayMs: -1 }', 'limits.shutdownDelayMs', /0/],
    ['an unknown limit (a typo)', 'limits: { maxConnection: 10 }', 'limits', /maxConnection/],
  ])('refused at startup: %s, at its dotted path', async (_name, yaml, path, message) => {
    const loaded = await load(yaml);
    const problem = loaded.problems.find((p) => p.path.startsWith(path));
    expect(problem).toBeDefined();
    expect(`${problem?.message} ${problem?.fix ?? ''}`).toMatch(message);
  });
});
