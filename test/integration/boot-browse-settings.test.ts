import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, formatBootMessages } from '../../src/boot.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';

/** browse.proxyDomain and browse contracts at startup: every problem named with its file, dotted path and fix. */
let dir: string;
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
};

async function bootWith(name: string, browse: unknown, vendors: Record<string, string>) {
  const vendorsDir = join(dir, `${name}-vendors`);
  await mkdir(vendorsDir);
  for (const [id, text] of Object.entries(vendors)) await writeFile(join(vendorsDir, `${id}.yaml`), text);
  const file = join(dir, `${name}.yaml`);
  await writeFile(
    file,
    stringify({
      publicUrl: 'https://library.example.org',
      branding: { libraryName: 'Test Library', website: 'https://library.test/', contact: { phone: '555-0100' }, forgotPin: 'https://library.test/pin' },
      vendorsDir,
      patrons: { file: join(dir, 'patrons.yaml') },
      ...(browse === undefined ? {} : { browse }),
      secrets: { pseudonymSecret: { env: 'T_PSEUDONYM' }, sessionKey: { env: 'T_SESSION' }, assertionKeys: [{ kid: 'k1', privateKey: { env: 'T_KEY' } }] },
    }),
  );
  return boot({ settingsFile: file, env: ENV, production: true, clock: () => NOW });
}

const site = (id: string, host: string, extra = ''): string => contractYaml({ id: `id: ${id}`, upstream: `upstream: { url: "https://${host}/", hosts: [${host}] }`, identity: 'identity: { delivery: none }', fields: 'preset: anonymous', browse: `browse: {${extra}}` }, id);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-browse-'));
  await writeFile(join(dir, 'patrons.yaml'), '[]\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('browse mode at startup', () => {
  it('boots with a proxy domain of its own and a browse vendor', async () => {
    const result = await bootWith('good', { proxyDomain: 'lib-proxy.example.net' }, { web: site('web', 'www.vendor.example') });
    expect(formatBootMessages(result)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  const refused: Array<[string, unknown, Record<string, string>, RegExp]> = [
    ['a proxy domain with a scheme', { proxyDomain: 'https://lib-proxy.example.net' }, {}, /browse\.proxyDomain: .*no wildcard, no scheme/],
    ['a wildcard proxy domain', { proxyDomain: '*.lib-proxy.example.net' }, {}, /browse\.proxyDomain: /],
    ['a one-label proxy domain', { proxyDomain: 'proxy' }, {}, /browse\.proxyDomain: .*at least two labels/],
    ['the gateway\'s own host as the proxy domain', { proxyDomain: 'library.example.org' }, {}, /browse\.proxyDomain: holds the gateway's own host.*Fix: use a domain of its own/],
    ['a proxy domain above the gateway\'s host', { proxyDomain: 'example.org' }, {}, /browse\.proxyDomain: holds the gateway's own host/],
    ['a ticket lifetime past a minute', { proxyDomain: 'lib-proxy.example.net', ticketTtlSeconds: 120 }, {}, /browse\.ticketTtlSeconds/],
    ['two browse vendors sharing a host', { proxyDomain: 'lib-proxy.example.net' }, { a: site('a', 'www.shared.example'), b: site('b', 'www.shared.example') }, /b\.yaml: the host www\.shared\.example is a's too; vendors never share an origin/],
    ['a host under another vendor\'s domain', { proxyDomain: 'lib-proxy.example.net' }, { a: site('a', 'www.a.example', ' domains: [b.example] '), b: site('b', 'www.b.example') }, /the host www\.b\.example is under a's domain b\.example/],
  ];
  it.each(refused)('refuses %s, naming the file, the dotted path and the fix', async (name, browse, vendors, message) => {
    const result = await bootWith(name.replace(/\W+/g, '-'), browse, vendors);
    expect(result.ok).toBe(false);
    expect(formatBootMessages(result).join('\n')).toMatch(message);
  });

  it('warns (and serves the vendor at /v/ only) when a contract has a browse section but the settings no proxy domain', async () => {
    const result = await bootWith('no-domain', undefined, { web: site('web', 'www.vendor.example') });
    expect(result.ok).toBe(true);
    expect(formatBootMessages(result).join('\n')).toMatch(/warning: .*web\.yaml: browse: has a browse section but the settings name no browse\.proxyDomain/);
  });
});
