import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../src/settings/load-settings.ts';
import { resolveSamlIdp } from '../../../src/settings/resolve-saml-idp.ts';
import { createRsaCertificate, type RsaCertificate } from '../../helpers/saml-sp.ts';

/** settings.saml: an RSA key and its own certificate, never the demo's outside demo mode; problems name the setting, never a value. */
const ROOT = join(import.meta.dirname, '../../..');
let dir: string;
let idp: RsaCertificate;
let other: RsaCertificate;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-saml-idp-'));
  idp = createRsaCertificate('library idp');
  other = createRsaCertificate('another idp');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function resolveWith(saml: string, env: Record<string, string>, options: { demo?: boolean; production?: boolean } = {}) {
  const file = join(dir, `s-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, `publicUrl: https://gw.example/\nvendorsDir: v\npatrons: { file: p.yaml }\ndemo: ${options.demo ?? false}\nsecrets: { pseudonymSecret: { env: P }, sessionKey: { env: S } }\nsaml: ${saml}\n`);
  const loaded = await loadSettings(file);
  if (!loaded.settings) throw new Error(JSON.stringify(loaded.problems));
  return resolveSamlIdp(loaded.settings, env, { production: options.production ?? false });
}

const FROM_ENV = '{ scope: library.example, signingKey: { env: K }, certificate: { env: C } }';
const DEMO_FILES = `{ scope: demo.library.example, signingKey: { file: ${ROOT}/config/demo-only-saml-idp.key }, certificate: { file: ${ROOT}/config/demo-only-saml-idp.crt } }`;

describe('the SAML identity provider\'s settings', () => {
  it('reads the key and certificate, and makes the entity id and SSO URL from publicUrl', async () => {
    const { setup, problems } = await resolveWith(FROM_ENV, { K: idp.key, C: idp.cert });
    expect(problems).toEqual([]);
    expect(setup).toMatchObject({ entityId: 'https://gw.example/saml/metadata', ssoUrl: 'https://gw.example/saml/sso', scope: 'library.example', certificateBase64: idp.certBase64, requestMaxAgeSeconds: 300, assertionLifetimeSeconds: 300, maxRememberedRequests: 100_000, affiliations: {} });
  });

  it('accepts the demo certificate in demo mode', async () => {
    const { setup, problems } = await resolveWith(DEMO_FILES, {}, { demo: true });
    expect(problems).toEqual([]);
    expect(setup?.scope).toBe('demo.library.example');
  });

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  it.each([
    ['a missing key variable', FROM_ENV, () => ({ C: idp.cert }), {}, 'saml.signingKey: environment variable K is not set'],
    ['a missing certificate file', '{ scope: a.example, signingKey: { env: K }, certificate: { file: nowhere.crt } }', () => ({ K: idp.key }), {}, 'saml.certificate: secret file nowhere.crt cannot be read'],
    ['a key that is not PEM', FROM_ENV, () => ({ K: 'THIS-IS-NOT-A-KEY', C: idp.cert }), {}, 'saml.signingKey: is not a PEM private key'],
    ['an EC key', FROM_ENV, () => ({ K: ec, C: idp.cert }), {}, 'saml.signingKey: is a ec key; SAML service providers verify RSA-SHA256'],
    ['an RSA key under 2048 bits', FROM_ENV, () => ({ K: small, C: idp.cert }), {}, 'saml.signingKey: is an RSA key of 1024 bits, fewer than 2048'],
    ['a certificate that is not PEM', FROM_ENV, () => ({ K: idp.key, C: 'nope' }), {}, 'saml.certificate: is not a PEM X.509 certificate'],
    ['a certificate of another key', FROM_ENV, () => ({ K: idp.key, C: other.cert }), {}, 'saml.certificate: is not the certificate of saml.signingKey'],
    ['the demo certificate outside demo mode', DEMO_FILES, () => ({}), {}, 'saml.certificate: is the demo\'s certificate'],
    ['the demo certificate under NODE_ENV=production', DEMO_FILES, () => ({}), { demo: true, production: true }, 'saml.certificate: is the demo\'s certificate'],
  ])('refuses %s', async (_name, saml, env, options, expected) => {
    const { setup, problems } = await resolveWith(saml, env(), options);
    expect(setup).toBeUndefined();
    for (const problem of problems) expect(problem.fix.length).toBeGreaterThan(10);
    expect(problems.map((p) => `${p.path}: ${p.message}`).some((text) => text.startsWith(expected))).toBe(true);
    for (const pem of [idp.key, idp.cert, ec, small]) expect(JSON.stringify(problems)).not.toContain(pem.split('\n')[1]);
    expect(JSON.stringify(problems)).not.toContain('THIS-IS-NOT-A-KEY');
  });

  it('no saml section: nothing to resolve', async () => {
    const file = join(dir, 'none.yaml');
    await writeFile(file, 'publicUrl: https://gw.example\nvendorsDir: v\npatrons: { file: p.yaml }\ndemo: true\n');
    const loaded = await loadSettings(file);
    expect(await resolveSamlIdp(loaded.settings!, {}, { production: false })).toEqual({ problems: [] });
  });
});
