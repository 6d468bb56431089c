import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeys } from '../helpers/contracts.ts';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

const PATRONS = 'config/demo-patrons.yaml';
const base = ['--config', TEST_SETTINGS, '--patron', PATRONS, '--at', '2026-11-29'];
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-explain-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('gateway explain', () => {
  it.each([
    ['ebooks-demo', '29000000000001', [/patronId\s+-> sub "[a-z2-7]{32}" \(pseudonymize\)/, /birthDate\s+-> ageBand "18-64" \(generalize to ageBand\)/, /email\s+-> email "ada.demo@example.org" \(pass, consent share-email-with-vendors given\)/, /firstName\s+-> withheld \(not in the contract\)/]],
    ['ebooks-demo', '29000000000002', [/email\s+-> withheld \(needs consent share-email-with-vendors\)/]],
    ['ebooks-demo', '29000000000004', [/Access: BLOCKED until a parent or guardian consents/, /birthDate\s+-> withheld \(patron is under 13; minors rule parental-consent\)/]],
    ['ebooks-demo', '29000000000009', [/patron is of unknown age \(treated as under 13\)/]],
    ['research-db-demo', '29000000000001', [/Access: allowed/, /Vendor view: \{\}/, /patronId\s+-> withheld \(not in the contract\)/]],
    ['streaming-demo', '29000000000005', [/Access: allowed/, /ageBand "13-17"/]],
    ['streaming-demo', '29000000000003', [/Access: BLOCKED for this patron \(minors rule\)/]],
    ['streaming-demo', '29000000000008', [/postalCode3 "000"/]],
    ['state-grant-demo', '29000000000001', [/Delivery: none/, /Vendor view: \{\}/]],
    ['courses-oidc-demo', '29000000000001', [/Delivery: oidc/, /firstName\s+-> firstName "Ada" \(pass\)/, /ID token claims: \{"sub":"[a-z2-7]{32}","given_name":"Ada","email":"ada.demo@example.org","ageBand":"18-64"\}/]],
    ['courses-oidc-demo', '29000000000004', [/Access: BLOCKED for this patron/]],
  ])('explains %s for patron %s', async (vendor, barcode, patterns) => {
    const result = await runGateway(['explain', vendor, ...base, '--barcode', barcode], TEST_ENV);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const pattern of patterns) expect(result.stdout).toMatch(pattern);
  });

  it('adds the ID token claims to the JSON of an oidc vendor, and only there', async () => {
    const oidc = JSON.parse((await runGateway(['explain', 'courses-oidc-demo', ...base, '--barcode', '29000000000002', '--json'], TEST_ENV)).stdout) as Record<string, unknown>;
    expect(oidc['idTokenClaims']).toEqual({ sub: expect.stringMatching(/^[a-z2-7]{32}$/), given_name: 'Ben', ageBand: '18-64' });
    const blocked = JSON.parse((await runGateway(['explain', 'courses-oidc-demo', ...base, '--barcode', '29000000000004', '--json'], TEST_ENV)).stdout) as Record<string, unknown>;
    expect(blocked['idTokenClaims']).toBeUndefined();
    const jwt = JSON.parse((await runGateway(['explain', 'ebooks-demo', ...base, '--barcode', '29000000000001', '--json'], TEST_ENV)).stdout) as Record<string, unknown>;
    expect(jwt['idTokenClaims']).toBeUndefined();
  });

  it('uses the same pseudonym the minimizer gives with the configured secret', async () => {
    const result = await runGateway(['explain', 'ebooks-demo', ...base, '--barcode', '29000000000001', '--json'], TEST_ENV);
    const parsed = JSON.parse(result.stdout) as { view: Record<string, unknown>; fields: Array<{ field: string; outcome: string }> };
    expect(parsed.view['sub']).toBe(createTestKeys().pseudonymize('ebooks-demo', 'p-0001'));
    expect(parsed.fields.find((f) => f.field === 'birthDate')?.outcome).toBe('generalized');
  });

  it('evaluates ages as of --at (a child turns 13)', async () => {
    const before = await runGateway(['explain', 'ebooks-demo', ...base.slice(0, 4), '--at', '2027-05-31', '--barcode', '29000000000004'], TEST_ENV);
    const after = await runGateway(['explain', 'ebooks-demo', ...base.slice(0, 4), '--at', '2027-06-01', '--barcode', '29000000000004'], TEST_ENV);
    expect(before.stdout).toMatch(/BLOCKED/);
    expect(after.stdout).toMatch(/ageBand "12-17"/);
  });

  it('accepts a file holding a single patron record without --barcode', async () => {
    const file = join(dir, 'one.yaml');
    await writeFile(file, 'patronId: solo-1\nbirthDate: "1970-01-01"\nemail: solo@example.org\n');
    const result = await runGateway(['explain', 'ebooks-demo', '--config', TEST_SETTINGS, '--patron', file, '--at', '2026-11-29'], TEST_ENV);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ageBand "65\+"|ageBand "18-64"/);
  });

  it('warns when the contract has expired at --at', async () => {
    const result = await runGateway(['explain', 'streaming-demo', ...base.slice(0, 4), '--at', '2027-03-15', '--barcode', '29000000000001'], TEST_ENV);
    expect(result.stdout).toMatch(/WARNING: the contract expired 14 day\(s\) ago; the vendor is closed/);
  });

  it.each([
    ['an unknown vendor', ['explain', 'no-such-vendor', ...base, '--barcode', '29000000000001'], /there is no vendor "no-such-vendor"; known vendors: audiobooks-sip2-demo, courses-oidc-demo, ebooks-demo, journals-saml-demo, research-db-demo/],
    ['an unknown barcode', ['explain', 'ebooks-demo', ...base, '--barcode', '00000000000000'], /no patron in that file has that barcode/],
    ['several patrons and no --barcode', ['explain', 'ebooks-demo', ...base], /holds 10 patrons; choose one with --barcode/],
    ['a missing patron file', ['explain', 'ebooks-demo', '--config', TEST_SETTINGS, '--patron', '/nonexistent.yaml'], /the patron file cannot be read/],
    ['a bad --at', ['explain', 'ebooks-demo', ...base.slice(0, 4), '--at', 'tomorrow-ish', '--barcode', '29000000000001'], /--at must be a date/],
    ['a missing --patron', ['explain', 'ebooks-demo', '--config', TEST_SETTINGS], /required option '--patron <file>' not specified/],
  ])('exits 2 with a clear message for %s', async (_name, args, message) => {
    const result = await runGateway(args, TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('exits 2 for a patron file that is not YAML, without echoing its contents', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, '- patronId: CANARY-SECRET-ID\n  email: [unclosed\n');
    const result = await runGateway(['explain', 'ebooks-demo', '--config', TEST_SETTINGS, '--patron', file], TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not valid YAML/);
    expect(result.stderr).not.toContain('CANARY');
  });
});
