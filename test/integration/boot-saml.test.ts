import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.ts';
import { ROOT } from '../helpers/cli.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';
import { createRsaCertificate, renderSpMetadata } from '../helpers/saml-sp.ts';

/**
 * boot() with SAML vendors: the IdP's key and certificate and every SP's metadata are read and
 * checked with everything else, every problem at once with its file, dotted path and fix; a saml
 * contract without an IdP in the settings is a warning, as a sip2 contract without a mediator.
 */
let dir: string;
const idp = createRsaCertificate('boot idp');
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  T_SAML_KEY: idp.key,
  T_SAML_CERT: idp.cert,
};
const SECRETS = ['publicUrl: https://gateway.library.test', 'secrets:', '  pseudonymSecret: { env: T_PSEUDONYM }', '  sessionKey: { env: T_SESSION }', '  assertionKeys:', '    - { kid: k1, privateKey: { env: T_KEY } }'];
const SAML = ['saml: { scope: library.test, signingKey: { env: T_SAML_KEY }, certificate: { env: T_SAML_CERT } }'];
const samlContract = (id: string, metadata: string) =>
  contractYaml({ upstream: '', kind: 'kind: database', identity: `identity:\n  delivery: saml\n  saml: { metadata: ${metadata} }`, fields: 'fields: { patronId: { action: pseudonymize, as: sub } }' }, id);

async function bootWith(name: string, vendors: Record<string, string>, settings: string[], production = false) {
  const folder = join(dir, name);
  await mkdir(join(folder, 'vendors'), { recursive: true });
  for (const [file, text] of Object.entries(vendors)) await writeFile(join(folder, 'vendors', file), text);
  const settingsFile = join(folder, 'gateway.yaml');
  await writeFile(settingsFile, [`vendorsDir: vendors`, `patrons: { file: ${join(ROOT, 'config/demo-patrons.yaml')} }`, ...settings].join('\n'));
  return boot({ settingsFile, env: ENV, production, clock: () => NOW });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-saml-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const metadata = renderSpMetadata({ entityId: 'https://sp.example/sp', acsUrl: 'https://sp.example/acs', signRequests: false }, createRsaCertificate('boot sp'));

describe('boot() with SAML vendors', () => {
  it('boots the IdP and its SPs', async () => {
    const result = await bootWith('ok', { 'sp-a.yaml': samlContract('sp-a', 'sp-a.metadata.xml'), 'sp-a.metadata.xml': metadata }, [...SECRETS, ...SAML]);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
    expect(result.booted.saml?.idp.entityId).toBe('https://gateway.library.test/saml/metadata');
    expect(result.booted.saml?.providers.get('sp-a')?.entityId).toBe('https://sp.example/sp');
  });

  it('reports every SAML problem at once: a missing metadata file, broken metadata, an entity id used twice', async () => {
    const vendors = {
      'sp-a.yaml': samlContract('sp-a', 'sp-a.metadata.xml'),
      'sp-a.metadata.xml': metadata,
      'sp-b.yaml': samlContract('sp-b', 'sp-b.metadata.xml'),
      'sp-b.metadata.xml': metadata,
      'sp-c.yaml': samlContract('sp-c', 'missing.metadata.xml'),
      'sp-d.yaml': samlContract('sp-d', 'sp-d.metadata.xml'),
      'sp-d.metadata.xml': '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    };
    const result = await bootWith('broken', vendors, [...SECRETS, ...SAML], false);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => `${p.file.split('/').pop()}: ${p.path}: ${p.message}`);
    expect(problems).toEqual([
      'sp-b.metadata.xml: EntityDescriptor@entityID: the entity id is already sp-a\'s',
      'sp-c.yaml: identity.saml.metadata: the SP metadata file cannot be read (missing, unreadable or larger than 256 KiB)',
      'sp-d.metadata.xml: : holds a DOCTYPE or entity declaration, which SAML documents never need',
    ]);
    expect(result.ok ? [] : result.problems.every((p) => p.fix.length > 0)).toBe(true);
  });

  it('a saml contract without an IdP in the settings is a warning; the gateway starts without that vendor signing in', async () => {
    const result = await bootWith('no-idp', { 'sp-a.yaml': samlContract('sp-a', 'sp-a.metadata.xml'), 'sp-a.metadata.xml': metadata }, SECRETS);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual(['identity.delivery: saml delivery, but the settings configure no SAML identity provider; this vendor cannot sign patrons in']);
    expect(result.ok ? result.booted.saml : 'x').toBeUndefined();
  });

  it('refuses the demo\'s committed SAML certificate outside demo mode', async () => {
    const demo = [`saml: { scope: library.test, signingKey: { file: ${ROOT}/config/demo-only-saml-idp.key }, certificate: { file: ${ROOT}/config/demo-only-saml-idp.crt } }`];
    const result = await bootWith('demo-cert', { 'sp-a.yaml': samlContract('sp-a', 'sp-a.metadata.xml'), 'sp-a.metadata.xml': metadata }, [...SECRETS, ...demo], true);
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toContainEqual(expect.stringMatching(/^saml\.certificate: is the demo's certificate/));
  });
});
