import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/lib/problem.ts';
import type { LoadedPatrons } from '../../src/patrons/file-patron-source.ts';
import { loadSip2Patrons } from '../../src/patrons/load-sip2-patrons.ts';
import { sip2PatronSettingsSchema } from '../../src/settings/patron-source-settings.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';

// loadSip2Patrons: the gateway's own SIP login comes from its secret sources and travels in the
// 93 exactly; what cannot be read or cannot travel in a 93 is a startup problem that names the
// setting and never the value; nothing connects to the ILS until the first sign-in.

const FROZEN = Date.UTC(2026, 10, 29, 12, 0, 0);
const SECRET_CANARY = 'canary-secret-8812';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sip2-secrets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let ils: FakeIls | undefined;
let loaded: LoadedPatrons | undefined;
afterEach(async () => {
  loaded?.close?.();
  loaded = undefined;
  await ils?.close();
  ils = undefined;
});

function settingsFor(port: number, extra: Record<string, unknown> = {}): ReturnType<typeof sip2PatronSettingsSchema.parse> {
  return sip2PatronSettingsSchema.parse({ host: '127.0.0.1', port, institution: 'UWOLS', location: 'desk-7', timeoutMs: 1000, ...extra });
}

const load = (settings: ReturnType<typeof settingsFor>, env: Record<string, string>): ReturnType<typeof loadSip2Patrons> =>
  loadSip2Patrons(settings, { file: 'gateway.yaml', env, now: () => FROZEN, cache: { max: 10, ttlMs: 60_000 } });

describe('loading the SIP2 patron source (patrons.source: sip2)', () => {
  it('sends the login read from the environment and from a file in the 93, with the location as CP, and connects only at the first sign-in', async () => {
    ils = await startFakeIls({ login: { user: 'gw-user', password: 'pass word 9' } });
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 'pass word 9\n');
    const result = await load(settingsFor(ils.port, { user: { env: 'SIP_USER' }, password: { file: passwordFile } }), { SIP_USER: 'gw-user' });
    expect(result.problems).toEqual([]);
    loaded = result.patrons;
    expect(loaded).toMatchObject({ count: 0, patrons: [], skipped: [] });
    expect(ils.connections()).toBe(0);
    expect(await loaded?.source.authenticate('djfiander', '6789')).toMatchObject({ patronId: 'djfiander' });
    expect(ils.received[0]?.text).toMatch(/^9300CNgw-user\|COpass word 9\|CPdesk-7\|AY0AZ[0-9A-F]{4}$/);
  });

  it('without user and password sends no 93 at all', async () => {
    ils = await startFakeIls();
    const result = await load(settingsFor(ils.port), {});
    expect(result.problems).toEqual([]);
    loaded = result.patrons;
    expect(await loaded?.source.authenticate('djfiander', '6789')).toMatchObject({ patronId: 'djfiander' });
    expect(ils.received.map((message) => message.code)).toEqual(['99', '63']);
  });

  it('close() closes the connections to the ILS', async () => {
    ils = await startFakeIls();
    loaded = (await load(settingsFor(ils.port), {})).patrons;
    await loaded?.source.authenticate('djfiander', '6789');
    expect(ils.openConnections()).toBe(1);
    expect(loaded?.close).toBeTypeOf('function');
    loaded?.close?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ils.openConnections()).toBe(0);
  });

  it.each<[string, Record<string, unknown>, Record<string, string>, string[]]>([
    ['a user variable that is not set', { user: { env: 'SIP_USER' }, password: { env: 'SIP_PASSWORD' } }, { SIP_PASSWORD: SECRET_CANARY }, ['patrons.sip2.user']],
    ['a password file that cannot be read', { user: { env: 'SIP_USER' }, password: { file: '/nonexistent/sip2-password' } }, { SIP_USER: 'gw-user' }, ['patrons.sip2.password']],
    ['a user with a field delimiter (it would forge a field of the 93)', { user: { env: 'SIP_USER' }, password: { env: 'SIP_PASSWORD' } }, { SIP_USER: `gw|CO${SECRET_CANARY}`, SIP_PASSWORD: 'x' }, ['patrons.sip2.user']],
    ['a password with a line feed inside', { user: { env: 'SIP_USER' }, password: { env: 'SIP_PASSWORD' } }, { SIP_USER: 'gw', SIP_PASSWORD: `${SECRET_CANARY}\nmore` }, ['patrons.sip2.password']],
    ['a password with a carriage return inside', { user: { env: 'SIP_USER' }, password: { env: 'SIP_PASSWORD' } }, { SIP_USER: 'gw', SIP_PASSWORD: `${SECRET_CANARY}\rmore` }, ['patrons.sip2.password']],
    ['a password of 256 characters (more than a SIP2 field holds)', { user: { env: 'SIP_USER' }, password: { env: 'SIP_PASSWORD' } }, { SIP_USER: 'gw', SIP_PASSWORD: SECRET_CANARY.padEnd(256, 'x') }, ['patrons.sip2.password']],
    ['both wrong, and a CA file that cannot be read: every problem at once', { tls: true, ca: { file: '/nonexistent/ca.pem' }, user: { env: 'SIP_USER' }, password: { env: 'SIP_PASSWORD' } }, { SIP_PASSWORD: `${SECRET_CANARY}|` }, ['patrons.sip2.user', 'patrons.sip2.password', 'patrons.sip2.ca.file']],
  ])('%s is a problem naming the setting, never the value, and no source is opened', async (_name, extra, env, paths) => {
    const result = await load(settingsFor(9, extra), env);
    expect(result.patrons).toBeUndefined();
    expect(result.problems.map((problem) => problem.path)).toEqual(paths);
    for (const problem of result.problems) {
      expect(problem.file).toBe('gateway.yaml');
      expect(problem.message.length).toBeGreaterThan(10);
      expect(problem.fix.length).toBeGreaterThan(10);
      expect(formatProblem(problem)).not.toContain(SECRET_CANARY);
    }
  });

  it('a password of exactly 255 characters is accepted (the most a SIP2 field holds)', async () => {
    const result = await load(settingsFor(9, { user: { env: 'SIP_USER' }, password: { env: 'SIP_PASSWORD' } }), { SIP_USER: 'gw', SIP_PASSWORD: 'p'.repeat(255) });
    expect(result.problems).toEqual([]);
    loaded = result.patrons;
  });

  it('reads the CA file for TLS: a readable one is no problem', async () => {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    const result = await load(settingsFor(9, { tls: true, ca: { file: caFile } }), {});
    expect(result.problems).toEqual([]);
    loaded = result.patrons;
  });
});
