import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runGateway, TEST_ENV } from '../helpers/cli.ts';
import { contractYaml } from '../helpers/contracts.ts';
import { sip2Contract, startMediator, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

let dir: string;
let h: MediatorHarness;
const ENV = { ...TEST_ENV, ILS_USER: 'scclient', ILS_PASSWORD: 'clientpwd', V_USER: 'probe-sip-user', V_PASS: 'probe-sip-secret', PROBE_PIN: '6789' };

beforeAll(async () => {
  h = await startMediator({ contracts: [sip2Contract('probe-sip', 'identity: { delivery: sip2, sip2: { statusFlags: [recallDenied] } }', 'fields: { patronType: { action: pass } }')] });
  dir = await mkdtemp(join(tmpdir(), 'gw-probe-'));
  await mkdir(join(dir, 'vendors'));
  await writeFile(join(dir, 'vendors', 'probe-sip.yaml'), contractYaml({ upstream: '', identity: 'identity: { delivery: sip2, sip2: { statusFlags: [recallDenied] } }', fields: 'fields: { patronType: { action: pass } }' }, 'probe-sip'));
  await writeFile(
    join(dir, 'gateway.yaml'),
    [
      'publicUrl: https://gateway.library.test',
      `vendorsDir: ${join(dir, 'vendors')}`,
      `patrons: { file: ${join(ROOT, 'config/demo-patrons.yaml')}, sip2: { host: 127.0.0.1, port: ${h.ils.port}, institution: UWOLS, user: { env: ILS_USER }, password: { env: ILS_PASSWORD }, dialect: { patronType: PC } } }`,
      'secrets: { pseudonymSecret: { env: TEST_PSEUDONYM_SECRET }, sessionKey: { env: TEST_SESSION_KEY }, assertionKeys: [{ kid: test-1, alg: ES256, privateKey: { env: TEST_ASSERTION_KEY } }] }',
      `sip2Mediator: { host: 127.0.0.1, port: ${h.port}, vendors: { probe-sip: { user: { env: V_USER }, password: { env: V_PASS } } } }`,
    ].join('\n'),
  );
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('gateway sip2-probe', () => {
  it('prints the ILS’s answer beside the mediator’s, field by field: what the ILS says and what the vendor gets', async () => {
    const result = await runGateway(['sip2-probe', 'probe-sip', '--barcode', 'djfiander', '--pin-env', 'PROBE_PIN', '--config', join(dir, 'gateway.yaml')], ENV);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const line = (id: string): string => result.stdout.split('\n').find((l) => l.startsWith(id.padEnd(8))) ?? '';
    expect(line('AE')).toMatch(/^AE {6}David J\. Fiander\s+$/);
    expect(line('BE')).toMatch(/djfiander@hotmail\.com\s+\(withheld\)$/);
    expect(line('PB')).toMatch(/19640925\s+\(withheld\)$/);
    expect(line('PC')).toMatch(/^PC {6}A\s+A$/);
    expect(line('CQ')).toMatch(/Y\s+Y$/);
    // The PIN never appears: it was read from the environment and is not printed.
    expect(result.stdout).not.toContain('6789');
  });

  it('refuses a vendor without a mediator login, and an unset PIN variable', async () => {
    const unknown = await runGateway(['sip2-probe', 'nobody', '--barcode', 'djfiander', '--config', join(dir, 'gateway.yaml')], ENV);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/nobody has no login under sip2Mediator.vendors/);
    const noPin = await runGateway(['sip2-probe', 'probe-sip', '--barcode', 'djfiander', '--pin-env', 'NOT_SET', '--config', join(dir, 'gateway.yaml')], ENV);
    expect(noPin.code).toBe(2);
    expect(noPin.stderr).toMatch(/NOT_SET is not set/);
  });
});
