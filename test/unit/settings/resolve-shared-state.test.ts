import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/settings/load-settings.ts';
import { resolveSharedState } from '../../../src/settings/resolve-shared-state.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-state-'));
  await writeFile(join(dir, 'redis-ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  await writeFile(join(dir, 'redis-url'), 'rediss://gateway:s3cret-from-file@redis.internal:6380/2\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function load(state: string) {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, `publicUrl: http://localhost:8080\nvendorsDir: v\npatrons: { file: p.yaml }\nsecrets: { pseudonymSecret: { env: P }, sessionKey: { env: S } }\n${state}`);
  return loadSettings(file);
}

const SECRET = 's3cret-canary-9911';

describe('state settings', () => {
  it.each([
    ['no state section: one node in memory', '', {}, { required: false, startTimeoutSeconds: 10 }],
    ['a plain URL without a password', 'state: { redis: { url: "redis://127.0.0.1:6379" } }', {}, { required: false, startTimeoutSeconds: 10, redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'ppg:' } }],
    [
      'a URL from the environment, a password from the environment, required',
      'state: { required: true, redis: { url: { env: REDIS_URL }, username: gw, password: { env: REDIS_PASSWORD }, keyPrefix: "lib1:" } }',
      { REDIS_URL: 'redis://redis.internal:6379', REDIS_PASSWORD: SECRET },
      { required: true, startTimeoutSeconds: 10, redis: { url: 'redis://redis.internal:6379', username: 'gw', password: SECRET, keyPrefix: 'lib1:' } },
    ],
  ])('%s', async (_name, yaml, env, expected) => {
    const loaded = await load(yaml);
    expect(loaded.problems).toEqual([]);
    const resolved = await resolveSharedState(loaded.settings!, env);
    expect(resolved.problems).toEqual([]);
    expect(resolved.setup).toEqual(expected);
  });

  it('rediss:// from a secret file, with a CA file relative to the settings file: TLS with that CA', async () => {
    const loaded = await load('state: { redis: { url: { file: redis-url }, tls: { ca: { file: redis-ca.pem } } } }');
    const resolved = await resolveSharedState(loaded.settings!, {});
    expect(resolved.problems).toEqual([]);
    expect(resolved.setup?.redis?.url).toBe('rediss://gateway:s3cret-from-file@redis.internal:6380/2');
    expect(resolved.setup?.redis?.tls?.ca?.toString()).toContain('BEGIN CERTIFICATE');
  });

  it.each([
    ['a password written in the settings file', `state: { redis: { url: "redis://gw:${SECRET}@127.0.0.1:6379" } }`, 'state.redis.url', /holds a password/],
    ['another scheme', 'state: { redis: { url: "http://127.0.0.1:6379" } }', 'state.redis.url', /must start with redis:\/\/ or rediss:\/\//],
    ['not a URL', 'state: { redis: { url: "127.0.0.1:6379" } }', 'state.redis.url', /redis:\/\/|URL/],
    ['an unknown key', 'state: { redis: { url: "redis://h:1", pasword: { env: X } } }', 'state.redis', /pasword/],
    ['a key prefix with spaces', 'state: { redis: { url: "redis://h:1", keyPrefix: "a b" } }', 'state.redis.keyPrefix', /letters, digits/],
  ])('refuses %s, naming the dotted path and never the secret', async (_name, yaml, path, message) => {
    const loaded = await load(yaml);
    const problem = loaded.problems.find((p) => p.path.startsWith(path));
    expect(`${problem?.message} ${problem?.fix}`, JSON.stringify(loaded.problems)).toMatch(message);
    expect(JSON.stringify(loaded.problems)).not.toContain(SECRET);
  });

  it.each([
    ['required without Redis', 'state: { required: true }', {}, 'state.required', /state\.redis does not say where Redis is/],
    ['a URL variable not set', 'state: { redis: { url: { env: REDIS_URL } } }', {}, 'state.redis.url', /REDIS_URL is not set/],
    ['a secret URL that is not redis://', 'state: { redis: { url: { env: REDIS_URL } } }', { REDIS_URL: `https://gw:${SECRET}@h` }, 'state.redis.url', /does not start with redis:\/\//],
    ['a password variable not set', 'state: { redis: { url: "redis://h:1", password: { env: REDIS_PASSWORD } } }', {}, 'state.redis.password', /REDIS_PASSWORD is not set/],
    ['a CA file missing', 'state: { redis: { url: "redis://h:1", tls: { ca: { file: missing.pem } } } }', {}, 'state.redis.tls.ca.file', /cannot be read/],
  ])('at startup, refuses %s with the path and a fix, never quoting the value', async (_name, yaml, env, path, message) => {
    const loaded = await load(yaml);
    expect(loaded.problems).toEqual([]);
    const resolved = await resolveSharedState(loaded.settings!, env);
    expect(resolved.setup).toBeUndefined();
    expect(resolved.problems).toHaveLength(1);
    expect(resolved.problems[0]).toMatchObject({ path, message: expect.stringMatching(message), fix: expect.any(String) });
    expect(JSON.stringify(resolved.problems)).not.toContain(SECRET);
  });
});
