import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/settings/load-settings.ts';
import { decodeSecret } from '../../../src/settings/read-secret.ts';
import { resolveKeys } from '../../../src/settings/resolve-keys.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-keys-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function settingsWith(body: string) {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, `publicUrl: http://localhost:8080\nvendorsDir: v\npatrons: { file: p.yaml }\n${body}`);
  const loaded = await loadSettings(file);
  if (!loaded.settings) throw new Error(JSON.stringify(loaded.problems));
  return loaded.settings;
}

describe('secrets', () => {
  it.each([
    ['base64:', `base64:${Buffer.alloc(32, 1).toString('base64')}`, Buffer.alloc(32, 1)],
    ['hex:', `hex:${'ab'.repeat(32)}`, Buffer.alloc(32, 0xab)],
    ['raw text', 'a'.repeat(40), Buffer.from('a'.repeat(40))],
  ])('decodes %s secrets', (_name, text, expected) => {
    expect(decodeSecret(text).equals(expected)).toBe(true);
  });

  it('reads secrets from the environment and from files', async () => {
    const secretFile = join(dir, 'session.key');
    await writeFile(secretFile, `hex:${'cd'.repeat(32)}\n`);
    const settings = await settingsWith(`secrets:\n  pseudonymSecret: { env: PSEUDO }\n  sessionKey: { file: ${secretFile} }\n`);
    const result = await resolveKeys(settings, { env: { PSEUDO: 'x'.repeat(32) } });
    expect(result.problems).toEqual([]);
    expect(result.keys?.sessionKey.equals(Buffer.alloc(32, 0xcd))).toBe(true);
    expect(result.keys?.usingDevKeys).toBe(false);
  });

  it('reports a short, missing or unreadable secret without quoting it', async () => {
    const settings = await settingsWith('secrets:\n  pseudonymSecret: { env: PSEUDO }\n  sessionKey: { file: /nonexistent/key }\n');
    const result = await resolveKeys(settings, { env: { PSEUDO: 'CANARY-short' } });
    expect(result.keys).toBeUndefined();
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'secrets.pseudonymSecret: is shorter than 32 bytes',
      'secrets.sessionKey: secret file /nonexistent/key cannot be read',
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('CANARY');
  });

  it('refuses to start outside demo mode without secrets', async () => {
    const file = join(dir, 'nodemo.yaml');
    await writeFile(file, 'publicUrl: http://localhost:8080\nvendorsDir: v\npatrons: { file: p.yaml }\n');
    const loaded = await loadSettings(file);
    expect(loaded.problems.map((p) => p.path)).toEqual(['secrets.pseudonymSecret', 'secrets.sessionKey']);
  });

  it('in demo mode generates development keys once, into a private file beside the settings', async () => {
    const settings = await settingsWith('demo: true\n');
    const first = await resolveKeys(settings, { env: {} });
    const second = await resolveKeys(settings, { env: {} });
    expect(first.keys?.usingDevKeys).toBe(true);
    expect(first.keys?.pseudonymSecret.length).toBe(32);
    expect(second.keys?.pseudonymSecret.equals(first.keys?.pseudonymSecret ?? Buffer.alloc(0))).toBe(true);
    expect(first.keys?.assertionKeys[0]?.alg).toBe('ES256');
    const devFile = join(dir, '.dev-keys.json');
    expect((await stat(devFile)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(devFile, 'utf8'))).toHaveProperty('assertionKey');
  });

  it('refuses demo mode and plain http under NODE_ENV=production', async () => {
    const file = join(dir, 'prod.yaml');
    await writeFile(file, 'publicUrl: http://library.example\nvendorsDir: v\npatrons: { file: p.yaml }\ndemo: true\n');
    const loaded = await loadSettings(file, { production: true });
    // (and no branding: required in production too, its own test is in test/unit/settings/branding-settings.test.ts)
    expect(loaded.problems.map((p) => p.path).sort()).toEqual(['branding', 'demo', 'publicUrl']);
  });

  it.each([
    ['none listed: an empty list', '', {}, [], []],
    ['two previous keys, from the environment and in order', '  previousSessionKeys: [{ env: OLD1 }, { env: OLD2 }]\n', { OLD1: `hex:${'01'.repeat(32)}`, OLD2: `hex:${'02'.repeat(32)}` }, [Buffer.alloc(32, 1), Buffer.alloc(32, 2)], []],
    ['a short previous key is refused at its index, never quoted', '  previousSessionKeys: [{ env: OLD1 }, { env: OLD2 }]\n', { OLD1: `hex:${'01'.repeat(32)}`, OLD2: 'CANARY-short' }, undefined, ['secrets.previousSessionKeys[1]: is shorter than 32 bytes']],
    ['an unset variable is reported', '  previousSessionKeys: [{ env: OLD1 }]\n', {}, undefined, ['secrets.previousSessionKeys[0]: environment variable OLD1 is not set']],
    ['the current key listed as previous is a mistake (the rotation would not happen)', '  previousSessionKeys: [{ env: SESSION }]\n', {}, undefined, ['secrets.previousSessionKeys[0]: is the same key as secrets.sessionKey']],
  ])('secrets.previousSessionKeys: %s', async (_name, yaml, env, expected, problems) => {
    const settings = await settingsWith(`secrets:\n  pseudonymSecret: { env: PSEUDO }\n  sessionKey: { env: SESSION }\n${yaml}`);
    const result = await resolveKeys(settings, { env: { PSEUDO: 'p'.repeat(32), SESSION: `hex:${'cd'.repeat(32)}`, ...env } });
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(problems);
    expect(JSON.stringify(result.problems)).not.toContain('CANARY');
    expect(result.keys?.previousSessionKeys.map((key) => key.toString('hex'))).toEqual(expected?.map((key) => key.toString('hex')));
  });
});
