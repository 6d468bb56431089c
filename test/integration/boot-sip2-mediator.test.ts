import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/boot.ts';
import { formatProblem } from '../../src/lib/problem.ts';
import { ROOT } from '../helpers/cli.ts';
import { contractYaml, NOW, TEST_MASTER_SECRET } from '../helpers/contracts.ts';
import { createSelfSignedCertificate } from '../helpers/self-signed-cert.ts';

let dir: string;
/** Canary credentials: none may appear in any problem. */
const ENV = {
  T_PSEUDONYM: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  T_SESSION: `base64:${Buffer.alloc(32, 7).toString('base64')}`,
  T_KEY: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  HOOPLA_USER: 'cnryhooplauser',
  HOOPLA_PASSWORD: 'cnryhooplapass',
  KANOPY_USER: 'cnrykanopyuser',
  KANOPY_PASSWORD: 'cnrykanopypass',
  BAD_USER: 'cnry|bad',
  ILS_USER: 'cnryilsuser',
  ILS_PASSWORD: 'cnryilspass',
};

const BASE = [
  'publicUrl: https://gateway.library.test',
  'secrets:',
  '  pseudonymSecret: { env: T_PSEUDONYM }',
  '  sessionKey: { env: T_SESSION }',
  '  assertionKeys:',
  '    - { kid: k1, privateKey: { env: T_KEY } }',
  // Required in production.
  'branding: { libraryName: Test Library, website: "https://library.test/", contact: { phone: 555-0100 }, forgotPin: "https://library.test/pin" }',
];
const ILS = (source = 'file') => [`patrons: { source: ${source}, file: ${join(ROOT, 'config/demo-patrons.yaml')}, sip2: { host: 127.0.0.1, port: 6001, institution: UWOLS, user: { env: ILS_USER }, password: { env: ILS_PASSWORD } } }`];
const MEDIATOR = (vendors: string, extra = '') => [`sip2Mediator: { host: 127.0.0.1, port: 6011${extra}, vendors: { ${vendors} } }`];
const HOOPLA = 'hoopla-sip: { user: { env: HOOPLA_USER }, password: { env: HOOPLA_PASSWORD } }';
const KANOPY = 'kanopy-sip: { user: { env: KANOPY_USER }, password: { env: KANOPY_PASSWORD } }';

async function bootWith(name: string, lines: string[]) {
  const file = join(dir, name);
  await writeFile(file, [`vendorsDir: ${join(dir, 'vendors')}`, ...lines].join('\n'));
  return boot({ settingsFile: file, env: ENV, production: true, clock: () => NOW });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-sip2-'));
  await mkdir(join(dir, 'vendors'));
  await writeFile(join(dir, 'vendors', 'http-vendor.yaml'), contractYaml({}, 'http-vendor'));
  for (const id of ['hoopla-sip', 'kanopy-sip']) await writeFile(join(dir, 'vendors', `${id}.yaml`), contractYaml({ upstream: '', identity: 'identity: { delivery: sip2 }' }, id));
  const certificate = createSelfSignedCertificate('sip2.gateway.test');
  const other = createSelfSignedCertificate('other.test');
  await writeFile(join(dir, 'cert.pem'), certificate.cert);
  await writeFile(join(dir, 'key.pem'), certificate.key);
  await writeFile(join(dir, 'other-key.pem'), other.key);
  certificate.remove();
  other.remove();
  await writeFile(join(dir, 'kanopy-user.txt'), 'cnrykanopyfileuser\n');
  await writeFile(join(dir, 'demo-user.txt'), 'demo-only-cnryuser\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('boot(): sip2Mediator', () => {
  it('resolves every vendor’s credentials, the TLS pair and the ILS; sip2 vendors stay out of the proxy’s checks', async () => {
    const result = await bootWith('ok.yaml', [...BASE, ...ILS(), ...MEDIATOR(`${HOOPLA}, ${KANOPY}`, ', tls: { cert: { file: cert.pem }, key: { file: key.pem } }')]);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const setup = result.booted.sip2Mediator;
    expect(setup?.port).toBe(6011);
    expect(setup?.vendors.map((v) => [v.vendorId, v.user.toString(), v.password.toString()])).toEqual([
      ['hoopla-sip', 'cnryhooplauser', 'cnryhooplapass'],
      ['kanopy-sip', 'cnrykanopyuser', 'cnrykanopypass'],
    ]);
    expect(setup?.tls?.cert.toString()).toMatch(/BEGIN CERTIFICATE/);
    expect(setup?.ils.credentials).toEqual({ user: 'cnryilsuser', password: 'cnryilspass' });
    expect(result.warnings).toEqual([]);
  });

  it.each([
    ['without ilsPool, the mediator has as many ILS connections as sign-in (patrons.sip2.pool, default 4)', '', 4],
    ['with ilsPool, that many, beyond sign-in\'s limit of 64 (sized for the vendor connections expected at once)', ', ilsPool: 200', 200],
  ])('%s', async (_name, extra, ilsPool) => {
    const result = await bootWith(`pool${ilsPool}.yaml`, [...BASE, ...ILS(), ...MEDIATOR(HOOPLA, extra)]);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.booted.sip2Mediator?.ilsPool).toBe(ilsPool);
  });

  it.each([
    ['a vendor without a contract', MEDIATOR(`${HOOPLA}, ${KANOPY}, ghost-sip: { user: { env: HOOPLA_USER }, password: { env: KANOPY_PASSWORD } }`), 'sip2Mediator.vendors.ghost-sip', /no contract ghost-sip.yaml/, /delivery: sip2/],
    ['a vendor whose contract is not sip2', MEDIATOR(`${HOOPLA}, ${KANOPY}, http-vendor: { user: { env: BAD_USER }, password: { env: KANOPY_PASSWORD } }`), 'sip2Mediator.vendors.http-vendor', /delivery jwt, not sip2/, /set identity.delivery: sip2/],
    ['a credential that is not set', MEDIATOR(`${HOOPLA}, kanopy-sip: { user: { env: NOT_SET }, password: { env: KANOPY_PASSWORD } }`), 'sip2Mediator.vendors.kanopy-sip.user', /NOT_SET is not set/, /set it/],
    ['a credential a 93 cannot carry', MEDIATOR(`${HOOPLA}, kanopy-sip: { user: { env: BAD_USER }, password: { env: KANOPY_PASSWORD } }`), 'sip2Mediator.vendors.kanopy-sip.user', /cannot travel in a SIP2 93/, /plain characters/],
    ['two vendors with one login', MEDIATOR(`${HOOPLA}, kanopy-sip: { user: { env: HOOPLA_USER }, password: { env: KANOPY_PASSWORD } }`), 'sip2Mediator.vendors.kanopy-sip.user', /same login as hoopla-sip's/, /its own SIP2 login/],
    ['a certificate file that is missing', MEDIATOR(`${HOOPLA}, ${KANOPY}`, ', tls: { cert: { file: missing.pem }, key: { file: key.pem } }'), 'sip2Mediator.tls.cert.file', /cannot be read/, /PEM certificate/],
    ['a key that does not belong to the certificate', MEDIATOR(`${HOOPLA}, ${KANOPY}`, ', tls: { cert: { file: cert.pem }, key: { file: other-key.pem } }'), 'sip2Mediator.tls', /do not belong together/, /its own private key/],
    ['a demo-only login (the embedded demo\'s committed one) outside demo mode', MEDIATOR(`${HOOPLA}, kanopy-sip: { user: { file: demo-user.txt }, password: { env: KANOPY_PASSWORD } }`), 'sip2Mediator.vendors.kanopy-sip.user', /demo-only login .* demo mode is off/, /its own login from the environment/],
    ['a port out of range', [`sip2Mediator: { host: 127.0.0.1, port: 70000, vendors: { ${HOOPLA} } }`], 'sip2Mediator.port', /./, /./],
    ['an unknown key', [`sip2Mediator: { host: 127.0.0.1, port: 6011, colour: blue, vendors: { ${HOOPLA} } }`], 'sip2Mediator.colour', /unknown key/, /./],
    ['an ILS pool of 0', MEDIATOR(HOOPLA, ', ilsPool: 0'), 'sip2Mediator.ilsPool', /too small/, /./],
    ['an ILS pool of 1000', MEDIATOR(HOOPLA, ', ilsPool: 1000'), 'sip2Mediator.ilsPool', /too large/, /./],
  ])('refuses %s, naming the setting and never a value', async (_name, mediator, path, message, fix) => {
    const result = await bootWith(`bad-${path}.yaml`, [...BASE, ...ILS(), ...mediator]);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const match = problems.find((p) => p.path === path);
    expect(match, problems.map(formatProblem).join('\n')).toBeDefined();
    expect(match?.message).toMatch(message);
    expect(match?.fix).toMatch(fix);
    expect(JSON.stringify(problems)).not.toMatch(/cnry/);
  });

  it('reads a secret file named relative to the settings file, as every path in it is, whatever the working folder', async () => {
    const result = await bootWith('relative.yaml', [...BASE, ...ILS(), ...MEDIATOR(`${HOOPLA}, kanopy-sip: { user: { file: kanopy-user.txt }, password: { env: KANOPY_PASSWORD } }`)]);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(process.cwd()).not.toBe(dir);
    expect(result.booted.sip2Mediator?.vendors.find((v) => v.vendorId === 'kanopy-sip')?.user.toString()).toBe('cnrykanopyfileuser');
  });

  it('refuses a mediator without an ILS to ask (no patrons.sip2)', async () => {
    const result = await bootWith('no-ils.yaml', [...BASE, `patrons: { file: ${join(ROOT, 'config/demo-patrons.yaml')} }`, ...MEDIATOR(`${HOOPLA}, ${KANOPY}`)]);
    expect(result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`)).toContainEqual(expect.stringMatching(/^sip2Mediator: the mediator asks the library's ILS, and patrons.sip2 does not say where it is/));
  });

  it('warns about a sip2 contract without credentials, and about sip2 contracts with no mediator at all', async () => {
    const partial = await bootWith('partial.yaml', [...BASE, ...ILS(), ...MEDIATOR(HOOPLA)]);
    expect(partial.warnings.map((w) => w.message)).toEqual(['sip2 delivery, but sip2Mediator.vendors has no login for kanopy-sip; this vendor cannot log in']);
    const none = await bootWith('none.yaml', [...BASE, ...ILS()]);
    expect(none.ok).toBe(true);
    expect(none.warnings.map((w) => w.file.split('/').pop())).toEqual(['hoopla-sip.yaml', 'kanopy-sip.yaml']);
  });
});
