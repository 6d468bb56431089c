import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, spawnGateway } from '../helpers/cli.ts';
import { copyShippedVendors } from '../helpers/contracts.ts';
import { runMain } from '../helpers/spawn-main.ts';

/**
 * `gateway check` and startup run the same boot(): for every configuration, check exits 0 exactly
 * when the gateway starts, and both print the same problem lines, never a stack trace. Both run
 * as real processes on the wall clock, so the shipped contracts are copied with dates around today.
 */

let dir: string;
let vendors: string;
let brokenVendors: string;
let goodKey: string;
let badKey: string;
let notAList: string;

const secret = (bytes: number): string => `base64:${randomBytes(bytes).toString('base64')}`;
const ENV = { T_PSEUDONYM: secret(32), T_SESSION: secret(32) };

/** Settings YAML for the case; `replace` edits it ([from, to] pairs). */
function settingsYaml(options: { vendorsDir?: string; patronsFile?: string; keyFile?: string; extra?: string; demo?: boolean } = {}): string {
  return [
    'publicUrl: https://gateway.library.test',
    `vendorsDir: ${options.vendorsDir ?? vendors}`,
    `patrons: { file: ${options.patronsFile ?? join(ROOT, 'config/demo-patrons.yaml')} }`,
    `demo: ${options.demo === true}`,
    ...(options.demo === true
      ? []
      : [
          'secrets:',
          '  pseudonymSecret: { env: T_PSEUDONYM }',
          '  sessionKey: { env: T_SESSION }',
          '  assertionKeys:',
          `    - { kid: key-1, alg: ES256, privateKey: { file: ${options.keyFile ?? goodKey} } }`,
        ]),
    options.extra ?? '',
  ].join('\n');
}

interface Case {
  readonly name: string;
  readonly settings: () => string;
  readonly env?: Record<string, string>;
  /** Patterns the problem lines must match (each must match some `error:` line). */
  readonly problems: ReadonlyArray<RegExp>;
}

const BROKEN: ReadonlyArray<Case> = [
  {
    name: 'a garbage assertion PEM is refused at its dotted path (import fails; the key text is never printed)',
    settings: () => settingsYaml({ keyFile: badKey }),
    problems: [/secrets\.assertionKeys\[0\]\.privateKey: key "key-1" is not a PKCS#8 PEM private key\. Fix: give a "-----BEGIN PRIVATE KEY-----" PEM/],
  },
  {
    name: 'a session key shorter than 32 bytes is refused (cookies could be forged)',
    settings: () => settingsYaml(),
    env: { T_SESSION: secret(16) },
    problems: [/secrets\.sessionKey: is shorter than 32 bytes/],
  },
  {
    name: 'a pseudonym secret shorter than 32 bytes is refused (pseudonyms could be guessed)',
    settings: () => settingsYaml(),
    env: { T_PSEUDONYM: secret(8) },
    problems: [/secrets\.pseudonymSecret: is shorter than \d+ bytes/],
  },
  {
    name: 'a secret file that does not exist is refused, naming the file',
    settings: () => settingsYaml({ keyFile: '/nonexistent/key.pem' }),
    problems: [/secrets\.assertionKeys\[0\]\.privateKey: secret file \/nonexistent\/key\.pem cannot be read/],
  },
  {
    name: 'a misspelt settings key is refused with "did you mean", and the secrets and contracts are still checked (those sections are right)',
    settings: () => settingsYaml({ vendorsDir: brokenVendors, extra: 'limit: { bodyBytes: 2048 }' }),
    env: { T_SESSION: secret(16) },
    problems: [/: limit: unknown key "limit"\. Fix: did you mean "limits"\?/, /secrets\.sessionKey: is shorter than 32 bytes/, /broken\.yaml: fields\.ssn: "ssn" is a government id number/],
  },
  {
    name: 'a broken contract is refused, naming file and dotted path',
    settings: () => settingsYaml({ vendorsDir: brokenVendors }),
    problems: [/broken\.yaml: fields\.ssn: "ssn" is a government id number, which is never releasable/, /broken\.yaml: fields\.emial: "emial" is not a patron field\. Fix: did you mean "email"\?/],
  },
  {
    name: 'a missing secret does not hide a broken contract (every phase is checked in one run)',
    settings: () => settingsYaml({ vendorsDir: brokenVendors }),
    env: { T_SESSION: '' },
    problems: [/secrets\.sessionKey: environment variable T_SESSION is not set/, /broken\.yaml: fields\.ssn/],
  },
  {
    name: 'a patron file that is not a list is refused (no patron could sign in)',
    settings: () => settingsYaml({ patronsFile: notAList }),
    problems: [/not-a-list\.yaml: is not a list of patrons/],
  },
  {
    name: 'demo mode is refused under NODE_ENV=production (development keys are not secret), and no development keys are made',
    settings: () => settingsYaml({ demo: true }),
    env: { NODE_ENV: 'production' },
    problems: [/: demo: demo mode \(development keys, demo vendor\) is refused when NODE_ENV=production/, /secrets\.pseudonymSecret: is not configured/],
  },
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-boot-agreement-'));
  vendors = await copyShippedVendors(ROOT, join(dir, 'vendors'), new Date());
  brokenVendors = join(dir, 'broken-vendors');
  await mkdir(brokenVendors);
  await writeFile(
    join(brokenVendors, 'broken.yaml'),
    'id: broken\nname: Broken\nkind: database\npurpose: p\ncontract: { reference: r, effective: 2020-01-01, expires: 2099-12-31 }\nupstream: { url: "http://127.0.0.1:1", hosts: [127.0.0.1] }\nidentity: { delivery: headers }\nfields: { ssn: { action: pass }, emial: { action: pass } }\n',
  );
  goodKey = join(dir, 'good.pem');
  await writeFile(goodKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  badKey = join(dir, 'bad.pem');
  await writeFile(badKey, '-----BEGIN PRIVATE KEY-----\nTHIS-IS-NOT-A-KEY\n-----END PRIVATE KEY-----\n');
  notAList = join(dir, 'not-a-list.yaml');
  await writeFile(notAList, 'just: some text\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const errorLines = (text: string): string[] => text.split('\n').filter((line) => line.startsWith('error: '));

describe('gateway check and startup agree', () => {
  it.each(BROKEN)('both exit 1 with the same problems: $name', async ({ settings, env, problems }) => {
    const file = join(dir, `settings-${randomBytes(4).toString('hex')}.yaml`);
    await writeFile(file, settings());
    const processEnv = { ...ENV, GATEWAY_CONFIG: file, ...env };
    const [check, main] = await Promise.all([spawnGateway(['check'], processEnv), runMain(processEnv)]);

    expect(check.code).toBe(1);
    expect(main.outcome).toBe(1);
    const lines = errorLines(check.stderr);
    expect(lines.length).toBeGreaterThan(0);
    expect(errorLines(main.stderr)).toEqual(lines);
    for (const pattern of problems) expect(lines.some((line) => pattern.test(line)), `${pattern} in:\n${lines.join('\n')}`).toBe(true);
    for (const output of [check.stdout, check.stderr, main.stdout, main.stderr]) {
      expect(output).not.toContain('    at ');
      expect(output).not.toContain('THIS-IS-NOT-A-KEY');
      // No secret the configuration names is ever printed, however short or wrong it is.
      for (const [name, value] of Object.entries(processEnv)) if (name.startsWith('T_') && typeof value === 'string' && value.length >= 8) expect(output).not.toContain(value.replace(/^base64:/, ''));
    }
    expect(check.stderr).toMatch(/check failed: \d+ error\(s\).*the gateway would not start/);
    expect(main.stderr).toMatch(/The gateway did not start: \d+ problem\(s\)/);
  });

  it('a valid configuration: check exits 0 and the gateway starts, listens, and stops cleanly', async () => {
    const file = join(dir, 'valid.yaml');
    await writeFile(file, settingsYaml());
    const processEnv = { ...ENV, GATEWAY_CONFIG: file };
    const [check, main] = await Promise.all([spawnGateway(['check'], processEnv), runMain(processEnv)]);
    // The shipped demo browse, SIP2 and SAML vendors warn without a proxy domain, a mediator and an IdP in these settings, and the
    // demo OpenID Connect vendor's demo-only secret registers no client outside demo mode; all say so alike.
    const warnings = check.stderr.split('\n').filter((line) => line !== '');
    expect(warnings).toEqual([
      expect.stringMatching(/^warning: .*web-demo\.yaml: browse: has a browse section but the settings name no browse\.proxyDomain/),
      expect.stringMatching(/^warning: .*audiobooks-sip2-demo\.yaml: identity\.delivery: sip2 delivery, but the settings start no SIP2 mediator/),
      expect.stringMatching(/^warning: .*journals-saml-demo\.yaml: identity\.delivery: saml delivery, but the settings configure no SAML identity provider/),
      expect.stringMatching(/^warning: .*courses-oidc-demo\.yaml: identity\.oidc\.clientSecret: is a demo-only secret .* demo mode is off; courses-oidc-demo's client is not registered/),
    ]);
    for (const warning of warnings) expect(main.stderr).toContain(warning);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/check passed: settings and 8 contract\(s\) are valid/);
    expect(main.outcome).toBe('listening');
    expect(main.stopCode).toBe(0);
    expect(errorLines(main.stderr)).toEqual([]);
  });
});
