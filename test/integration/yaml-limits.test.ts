import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractYaml } from '../helpers/contracts.ts';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { ROOT, runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { billionLaughs, CIRCULAR_ALIAS, wideAnchor, YAML_CANARY } from '../helpers/yaml-bombs.ts';

// Every place the gateway reads YAML from outside refuses an alias bomb with a clear message (and
// the status or exit code of a bad file), never a crash, a stack trace or the file's values.
const ALIASES = /is not usable YAML \(its aliases, \*name, expand to far more than the file holds\)\. Fix: write the values out/;
const CIRCULAR = /is not usable YAML \(an alias refers to the value that contains it\)/;

let dir: string;
let upstream: RecordingUpstream;
let gateway: Harness;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-yaml-'));
  upstream = await startRecordingUpstream();
  gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: loadDemoContracts(upstream.url) });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function expectClean(output: string): void {
  expect(output).not.toContain(YAML_CANARY);
  expect(output).not.toMatch(/\n\s+at |ReferenceError|RangeError/);
}

const BOMBS = [
  ['a billion-laughs bomb', () => billionLaughs(), ALIASES],
  ['one anchor repeated far beyond its size', () => wideAnchor(), ALIASES],
  ['a circular alias', () => CIRCULAR_ALIAS, CIRCULAR],
] as const;

describe('YAML from outside is bounded at every entry', () => {
  it.each(BOMBS)('a contract file holding %s stops `gateway check` (and startup) with exit 1', async (_name, bomb, message) => {
    const vendors = await mkdtemp(join(dir, 'vendors-'));
    await writeFile(join(vendors, 'test-vendor.yaml'), `${contractYaml()}\n${bomb()}`);
    const result = await runGateway(['check', '--vendors', vendors, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`test-vendor\\.yaml: ${message.source}`));
    expectClean(result.stderr + result.stdout);
  });

  it.each(BOMBS)('a settings file holding %s stops `gateway check` with exit 1', async (_name, bomb, message) => {
    const settings = (await readFile(TEST_SETTINGS, 'utf8')).replace(/\.\.\/\.\.\/\.\.\//g, `${ROOT}/`);
    const file = await write('settings-bomb.yaml', `${settings}\n${bomb().replace(/^(\w)/gm, 'x_$1')}`);
    const result = await runGateway(['check', '--config', file], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`settings-bomb\\.yaml: ${message.source}`));
    expectClean(result.stderr + result.stdout);
  });

  it.each(BOMBS)('a patron file holding %s stops `gateway check` with exit 1', async (_name, bomb, message) => {
    const patrons = await write('patrons-bomb.yaml', bomb());
    const result = await runGateway(['check', '--config', TEST_SETTINGS], { ...TEST_ENV, GATEWAY_PATRONS_FILE: patrons });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`patrons-bomb\\.yaml: ${message.source}`));
    expectClean(result.stderr + result.stdout);
  });

  it.each(BOMBS)('`gateway explain --patron` with %s exits 2 with the reason', async (_name, bomb, message) => {
    const patrons = await write('explain-bomb.yaml', bomb());
    const result = await runGateway(['explain', 'ebooks-demo', '--patron', patrons, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expectClean(result.stderr + result.stdout);
  });

  it.each(BOMBS)('`gateway diff` with %s in the proposal exits 3 (invalid)', async (_name, bomb, message) => {
    const proposal = await write('proposal.yaml', `${await readFile(join(ROOT, 'vendors/ebooks-demo.yaml'), 'utf8')}\n${bomb()}`);
    const result = await runGateway(['diff', join(ROOT, 'vendors/ebooks-demo.yaml'), proposal]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`proposal\\.yaml: ${message.source}`));
    expectClean(result.stderr + result.stdout);
  });

  it.each(BOMBS)('the staff diff answers %s with 400 and the reason, and keeps serving', async (_name, bomb, message) => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const token = /name="csrf" value="([^"]+)"/.exec(await (await fetch(`${gateway.url}/staff/diff`, { headers: { cookie: staff } })).text())?.[1] ?? '';
    const proposed = `${await readFile(join(ROOT, 'vendors/ebooks-demo.yaml'), 'utf8')}\n${bomb()}`;
    const response = await fetch(`${gateway.url}/staff/diff`, { method: 'POST', headers: { cookie: staff, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf: token, vendor: 'ebooks-demo', proposed }).toString() });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toMatch(new RegExp(`proposed: ${message.source}`));
    expect(page.replace(/<textarea[\s\S]*?<\/textarea>/, '')).not.toContain(YAML_CANARY);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });

  it('the staff diff refuses a proposal over its size limit with 413 before reading it', async () => {
    const staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    const response = await fetch(`${gateway.url}/staff/diff`, { method: 'POST', headers: { cookie: staff, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: `vendor=ebooks-demo&proposed=${'x'.repeat(70 * 1024)}` });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'body_too_large' });
  });

  it('a contract file over the size limit stops `gateway check` with the reason', async () => {
    const vendors = await mkdtemp(join(dir, 'vendors-'));
    await writeFile(join(vendors, 'test-vendor.yaml'), `${contractYaml()}\n# ${YAML_CANARY}${'x'.repeat(1024 * 1024)}\n`);
    const result = await runGateway(['check', '--vendors', vendors, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/test-vendor\.yaml: is too large \(more than 1048576 bytes\)/);
    expectClean(result.stderr);
  });

  // A file with no end (a device, a growing file) is read only up to the limit, then refused.
  describe('a file with no end', () => {
    const ENDLESS = '/dev/zero';
    const TOO_LARGE = /is too large \(more than \d+ bytes\)/;

    it('as a contract stops `gateway check`', async () => {
      const vendors = await mkdtemp(join(dir, 'vendors-'));
      await writeFile(join(vendors, 'test-vendor.yaml'), contractYaml());
      await symlink(ENDLESS, join(vendors, 'endless.yaml'));
      const result = await runGateway(['check', '--vendors', vendors, '--config', TEST_SETTINGS], TEST_ENV);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`endless\\.yaml: ${TOO_LARGE.source}`));
    });

    it('as the settings stops `gateway check`', async () => {
      const result = await runGateway(['check', '--config', ENDLESS], TEST_ENV);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`/dev/zero: ${TOO_LARGE.source}`));
    });

    it('as the patron file stops `gateway check`', async () => {
      const result = await runGateway(['check', '--config', TEST_SETTINGS], { ...TEST_ENV, GATEWAY_PATRONS_FILE: ENDLESS });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`/dev/zero: ${TOO_LARGE.source}`));
    });

    it('as `gateway explain --patron` exits 2', async () => {
      const result = await runGateway(['explain', 'ebooks-demo', '--patron', ENDLESS, '--config', TEST_SETTINGS], TEST_ENV);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(TOO_LARGE);
    });

    it('as a `gateway diff` proposal exits 3', async () => {
      const result = await runGateway(['diff', join(ROOT, 'vendors/ebooks-demo.yaml'), ENDLESS]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`/dev/zero: ${TOO_LARGE.source}`));
    });
  });
});
