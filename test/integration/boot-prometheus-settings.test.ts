import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.ts';
import { formatProblem } from '../../src/lib/problem.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';

let dir: string;
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

async function bootWith(name: string, prometheus: unknown) {
  const file = join(dir, `${name}.yaml`);
  await writeFile(join(dir, 'patrons.yaml'), '[]\n');
  await writeFile(
    file,
    stringify({
      publicUrl: 'https://gateway.library.test',
      branding: { libraryName: 'Test Library', website: 'https://library.test/', contact: { phone: '555-0100' }, forgotPin: 'https://library.test/pin' },
      vendorsDir: join(dir, 'vendors'),
      patrons: { file: 'patrons.yaml' },
      admin: { prometheus },
      secrets: { pseudonymSecret: { env: 'T_PSEUDONYM' }, sessionKey: { env: 'T_SESSION' }, assertionKeys: [{ kid: 'k1', privateKey: { env: 'T_KEY' } }] },
    }),
  );
  return { file, result: await boot({ settingsFile: file, env: ENV, production: true, clock: () => NOW }) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-prometheus-'));
  await mkdir(join(dir, 'vendors'));
  await writeFile(join(dir, 'vendors', 'test-vendor.yaml'), contractYaml());
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('admin.prometheus, checked at startup', () => {
  it('boots with a base URL (and a path prefix), taking a 3-second timeout by default', async () => {
    const { result } = await bootWith('good', { url: 'https://monitoring.library.test/prometheus', selector: 'job="gateway", env!~"test.*"' });
    if (!result.ok) throw new Error(result.problems.map((p) => formatProblem(p)).join('; '));
    expect(result.booted.settings.admin.prometheus).toEqual({ url: 'https://monitoring.library.test/prometheus', timeoutMs: 3000, selector: 'job="gateway", env!~"test.*"' });
  });

  it.each([
    ['not a URL', { url: 'the prometheus server' }, 'admin.prometheus.url', /admin\.prometheus\.url: is not a URL\. Fix: write the base URL of the library's Prometheus, such as http:\/\/prometheus:9090/],
    ['another scheme', { url: 'ftp://prometheus:9090' }, 'admin.prometheus.url', /must start with http:\/\/ or https:\/\//],
    ['a password in the URL', { url: 'https://ops:CANARY-SECRET-77@prometheus:9090' }, 'admin.prometheus.url', /admin\.prometheus\.url: holds a user name or password\. Fix: credentials never go in the settings file/],
    ['a query', { url: 'http://prometheus:9090/?x=1' }, 'admin.prometheus.url', /admin\.prometheus\.url: has a query or fragment\. Fix: write only the base URL/],
    ['a timeout too short', { url: 'http://prometheus:9090', timeoutMs: 5 }, 'admin.prometheus.timeoutMs', /100/],
    ['a timeout too long', { url: 'http://prometheus:9090', timeoutMs: 60_000 }, 'admin.prometheus.timeoutMs', /30000/],
    ['a selector that is PromQL, not label matchers', { url: 'http://prometheus:9090', selector: 'job="gw"} or vector(1) or {x="' }, 'admin.prometheus.selector', /write label matchers such as job="gateway"/],
    ['an unknown key', { url: 'http://prometheus:9090', password: 'x' }, 'admin.prometheus.password', /unknown key "password"/],
    ['no URL', { timeoutMs: 1000 }, 'admin.prometheus.url', /./],
  ])('refuses %s, naming the file and the dotted path, and never echoing a password', async (name, prometheus, path, message) => {
    const { file, result } = await bootWith(name.replace(/\W+/g, '-'), prometheus);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problem = result.problems.find((p) => p.path === path);
    expect(problem, result.problems.map((p) => formatProblem(p)).join('\n')).toBeDefined();
    expect(problem?.file).toBe(file);
    expect(formatProblem(problem!)).toMatch(message);
    for (const p of result.problems) expect(formatProblem(p)).not.toContain('CANARY-SECRET-77');
  });
});
