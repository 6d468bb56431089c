import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.ts';
import { formatProblem } from '../../src/lib/problem.ts';
import { ROOT } from '../helpers/cli.ts';
import { NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';

let dir: string;
/** Canary secrets: none may appear in any problem. */
const GOOD_SECRET = 'cnrygoodsecret-0123456789abcdef0123456789';
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  GOOD_SECRET,
  SHORT_SECRET: 'cnryshort',
  DEMO_SECRET: 'demo-only-cnry-0123456789abcdef0123456789abcdef',
};
const PUBLIC_JWK = { ...(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>), alg: 'ES256' };
const PRIVATE_JWK = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<string, unknown>;

function oidcContract(id: string, oidc: string, extra = ''): string {
  return `id: ${id}
name: ${id}
kind: econtent
purpose: Testing
contract: { reference: T-1, effective: 2026-01-01, expires: 2027-12-31 }
identity:
  delivery: oidc
  oidc: ${oidc}
fields: { patronId: { action: pseudonymize, as: sub }, birthDate: { action: generalize, to: ageBand } }
${extra}`;
}

async function bootWith(vendors: Record<string, string>, options: { demo?: boolean } = {}) {
  const vendorsDir = await mkdtemp(join(dir, 'vendors-'));
  for (const [id, text] of Object.entries(vendors)) await writeFile(join(vendorsDir, `${id}.yaml`), text);
  await writeFile(join(vendorsDir, 'demo-secret.txt'), `${ENV.DEMO_SECRET}\n`);
  const file = `${vendorsDir}.gateway.yaml`;
  await writeFile(
    file,
    [
      'publicUrl: https://gateway.library.test',
      'branding: { libraryName: Test Library, website: "https://library.test/", contact: { phone: 555-0100 }, forgotPin: "https://library.test/pin" }',
      ...(options.demo === true ? ['demo: true'] : []),
      `vendorsDir: ${vendorsDir}`,
      `patrons: { file: ${join(ROOT, 'config/demo-patrons.yaml')} }`,
      'secrets:',
      '  pseudonymSecret: { env: T_PSEUDONYM }',
      '  sessionKey: { env: T_SESSION }',
      '  assertionKeys:',
      '    - { kid: k1, privateKey: { env: T_KEY } }',
    ].join('\n'),
  );
  return boot({ settingsFile: file, env: ENV, production: options.demo !== true, clock: () => NOW });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-oidc-'));
  await mkdir(dir, { recursive: true });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('boot(): OpenID Connect clients', () => {
  it('reads each client\'s secret from the environment, and keeps oidc vendors out of the proxy', async () => {
    const result = await bootWith({
      'a-oidc': oidcContract('a-oidc', '{ clientId: a-client, redirectUris: ["https://a.example/cb", "http://127.0.0.1:7000/cb"], clientSecret: { env: GOOD_SECRET } }'),
      'b-oidc': oidcContract('b-oidc', `{ clientId: b-client, redirectUris: ["https://b.example/cb"], jwks: { keys: [${JSON.stringify(PUBLIC_JWK)}] } }`),
    });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.booted.oidcClients.map((c) => [c.vendorId, c.clientId, c.secret ?? 'keys'])).toEqual([
      ['a-oidc', 'a-client', GOOD_SECRET],
      ['b-oidc', 'b-client', 'keys'],
    ]);
  });

  it.each([
    ['a plain-http redirect URI off loopback (the code would travel in clear)', { x: oidcContract('x', '{ clientId: x, redirectUris: ["http://vendor.example/cb"], clientSecret: { env: GOOD_SECRET } }') }, 'identity.oidc.redirectUris[0]', /not https/],
    ['a redirect URI with a fragment', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://vendor.example/cb#x"], clientSecret: { env: GOOD_SECRET } }') }, 'identity.oidc.redirectUris[0]', /fragment/],
    ['a redirect URI that is not a URL', { x: oidcContract('x', '{ clientId: x, redirectUris: ["/cb"], clientSecret: { env: GOOD_SECRET } }') }, 'identity.oidc.redirectUris[0]', /not an absolute URL/],
    ['a redirect URI with credentials in it', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://u:p@vendor.example/cb"], clientSecret: { env: GOOD_SECRET } }') }, 'identity.oidc.redirectUris[0]', /user name or password/],
    ['a redirect URI listed twice', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://v.example/cb", "https://v.example/cb"], clientSecret: { env: GOOD_SECRET } }') }, 'identity.oidc.redirectUris[1]', /twice/],
    ['two contracts with one client id', { x: oidcContract('x', '{ clientId: same, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET } }'), y: oidcContract('y', '{ clientId: same, redirectUris: ["https://y.example/cb"], clientSecret: { env: GOOD_SECRET } }') }, 'identity.oidc.clientId', /already the client id of x/],
    ['a secret variable that is not set', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: NOT_SET } }') }, 'identity.oidc.clientSecret', /NOT_SET is not set/],
    ['a secret shorter than 32 bytes', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: SHORT_SECRET } }') }, 'identity.oidc.clientSecret', /shorter than 32 bytes/],
    ['the demo-only secret outside demo mode', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { file: demo-secret.txt } }') }, 'identity.oidc.clientSecret', /demo-only/],
    ['both a secret and keys', { x: oidcContract('x', `{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET }, jwks: { keys: [${JSON.stringify(PUBLIC_JWK)}] } }`) }, 'identity.oidc', /both a clientSecret and jwks/],
    ['neither a secret nor keys', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"] }') }, 'identity.oidc', /no way to authenticate/],
    ['a private key in the contract', { x: oidcContract('x', `{ clientId: x, redirectUris: ["https://x.example/cb"], jwks: { keys: [${JSON.stringify(PRIVATE_JWK)}] } }`) }, 'identity.oidc.jwks.keys[0]', /private key material \(d\)/],
    ['a key that is not a key', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], jwks: { keys: [{ kty: EC, crv: P-256, x: AAAA, y: BBBB }] } }') }, 'identity.oidc.jwks.keys[0]', /not a usable public signing key/],
    ['scopes without openid', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET }, scopes: [profile] }') }, 'identity.oidc.scopes', /does not include openid/],
    ['an upstream (the gateway forwards nothing to an oidc vendor)', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET } }', 'upstream: { url: "https://x.example", hosts: [x.example] }') }, 'upstream', /forwards nothing/],
    ['no identity.oidc at all', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET } }').replace(/  oidc: .*\n/, '') }, 'identity.oidc', /needs the vendor's client/],
    ['identity.oidc under another delivery', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET } }').replace('delivery: oidc', 'delivery: jwt') }, 'identity.oidc', /only applies to oidc delivery/],
    ['a view name that borrows a standard claim it does not mean', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET } }').replace('to: ageBand }', 'to: ageBand, as: birthdate }') }, 'fields.birthDate.as', /a claim OpenID Connect defines/],
    ['no pseudonym for sub', { x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { env: GOOD_SECRET } }').replace('patronId: { action: pseudonymize, as: sub }, ', '') }, 'identity.delivery', /no rule pseudonymizes patronId/],
  ])('refuses %s, with the file, the dotted path and a fix, quoting no secret', async (_name, vendors, path, message) => {
    const result = await bootWith(vendors);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const problem = problems.find((p) => p.path === path && message.test(p.message));
    expect(problem, problems.map(formatProblem).join('\n')).toBeDefined();
    expect(problem?.file).toMatch(/\.yaml$/);
    expect(problem?.fix.length).toBeGreaterThan(5);
    const text = problems.map(formatProblem).join('\n');
    for (const secret of [GOOD_SECRET, ENV.SHORT_SECRET, ENV.DEMO_SECRET, String(PRIVATE_JWK['d'])]) expect(text).not.toContain(secret);
  });

  it('imports keys without an alg by their type (EdDSA for OKP, RS256 for RSA, ES256 for EC)', async () => {
    const okp = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const result = await bootWith({ k: oidcContract('k', `{ clientId: k, redirectUris: ["https://k.example/cb"], jwks: { keys: [${[okp, rsa, ec].map((key) => JSON.stringify(key)).join(', ')}] } }`) });
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.booted.oidcClients.map((c) => c.jwks?.keys.length)).toEqual([3]);
  });

  it('accepts the demo-only secret in demo mode', async () => {
    const result = await bootWith({ x: oidcContract('x', '{ clientId: x, redirectUris: ["https://x.example/cb"], clientSecret: { file: demo-secret.txt } }') }, { demo: true });
    const problems = result.ok ? [] : result.problems;
    expect(problems.filter((p) => p.path.startsWith('identity.oidc'))).toEqual([]);
  });

  it('reports every problem of every contract at once', async () => {
    const result = await bootWith({
      x: oidcContract('x', '{ clientId: x, redirectUris: ["http://x.example/cb"], clientSecret: { env: SHORT_SECRET } }'),
      y: oidcContract('y', '{ clientId: y, redirectUris: ["https://y.example/cb"], clientSecret: { env: NOT_SET } }'),
    });
    const paths = result.ok ? [] : result.problems.map((p) => `${p.file.split('/').pop()}:${p.path}`);
    expect(paths).toEqual(expect.arrayContaining(['x.yaml:identity.oidc.redirectUris[0]', 'y.yaml:identity.oidc.clientSecret']));
  });
});
