import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPseudonymKeys } from '../../src/policy/pseudonyms/pseudonym-keys.ts';
import { ROOT, runGateway, spawnGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';
import { TEST_MASTER_SECRET } from '../helpers/contracts.ts';

/**
 * `gateway pseudonym-map`: the old -> new pseudonyms a vendor needs when the epoch changes,
 * encrypted to the vendor's public key. The vendor's side is jose with the private key; every
 * pair is checked against the pseudonym function at both epochs.
 */
let dir: string;
let counter = 0;
const DEMO_IDS = (parse(await readFile(join(ROOT, 'config/demo-patrons.yaml'), 'utf8')) as Array<{ patronId: string }>).map((p) => p.patronId);

const keyPairs = {
  'EC P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  'EC P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  X25519: generateKeyPairSync('x25519'),
  'RSA 2048': generateKeyPairSync('rsa', { modulusLength: 2048 }),
};
type KeyName = keyof typeof keyPairs;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-pseudonym-map-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function writeKeyFile(text: string): Promise<string> {
  const file = join(dir, `key-${++counter}`);
  await writeFile(file, text);
  return file;
}
const publicPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();
const newOut = (): string => join(dir, `map-${++counter}.jwe`);

function expectedPairs(ids: ReadonlyArray<string>, vendor: string, from: number, to: number): Array<[string, string]> {
  const a = createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: from });
  const b = createPseudonymKeys({ masterSecret: TEST_MASTER_SECRET, epoch: to });
  return ids.map((id): [string, string] => [a.pseudonymize(vendor, id), b.pseudonymize(vendor, id)]).sort(([x], [y]) => (x < y ? -1 : 1));
}

async function decryptMap(file: string, privateKey: KeyObject): Promise<{ text: string; document: Record<string, unknown> }> {
  const jwe = (await readFile(file, 'utf8')).trim();
  const { plaintext } = await compactDecrypt(jwe, privateKey);
  const text = new TextDecoder().decode(plaintext);
  return { text, document: JSON.parse(text) as Record<string, unknown> };
}

describe('gateway pseudonym-map writes a mapping only the vendor can read', () => {
  it.each([
    ['EC P-256', 'pem', 'ECDH-ES+A256KW'],
    ['EC P-384', 'jwk', 'ECDH-ES+A256KW'],
    ['X25519', 'pem', 'ECDH-ES+A256KW'],
    ['RSA 2048', 'pem', 'RSA-OAEP-256'],
  ] as Array<[KeyName, 'pem' | 'jwk', string]>)('%s key as %s: the vendor decrypts every demo patron\'s pair, each equal to the pseudonym function at epochs 1 and 2 (%s)', async (name, format, alg) => {
    const pair = keyPairs[name];
    const keyFile = await writeKeyFile(format === 'pem' ? publicPem(pair.publicKey) : JSON.stringify(pair.publicKey.export({ format: 'jwk' })));
    const out = newOut();
    const result = await runGateway(['pseudonym-map', '--vendor', 'ebooks-demo', '--from', '1', '--to', '2', '--recipient-key', keyFile, '--out', out, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${DEMO_IDS.length} patron(s) of ebooks-demo, epoch 1 -> 2`);
    const jwe = (await readFile(out, 'utf8')).trim();
    expect(decodeProtectedHeader(jwe)).toMatchObject({ alg, enc: 'A256GCM' });
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const { document } = await decryptMap(out, pair.privateKey);
    expect(Object.keys(document).sort()).toEqual(['fromEpoch', 'pairs', 'toEpoch', 'typ', 'vendor']);
    expect(document).toMatchObject({ typ: 'patron-privacy-gateway/pseudonym-map/v1', vendor: 'ebooks-demo', fromEpoch: 1, toEpoch: 2 });
    expect(document['pairs']).toEqual(expectedPairs(DEMO_IDS, 'ebooks-demo', 1, 2));
    // Nothing about a patron reaches the terminal: no pseudonym, no id.
    const pseudonyms = (document['pairs'] as string[][]).flat();
    for (const value of [...pseudonyms, ...DEMO_IDS]) expect(`${result.stdout}\n${result.stderr}`).not.toContain(value);
  });

  it('another key cannot open it', async () => {
    const out = newOut();
    const keyFile = await writeKeyFile(publicPem(keyPairs['EC P-256'].publicKey));
    expect((await runGateway(['pseudonym-map', '--vendor', 'ebooks-demo', '--from', '1', '--to', '2', '--recipient-key', keyFile, '--out', out, '--config', TEST_SETTINGS], TEST_ENV)).code).toBe(0);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(decryptMap(out, stranger.privateKey)).rejects.toThrow();
  });

  it('with --patrons, only that list\'s pairs, in an order that is not the file\'s, and nothing else of the patron inside: canary values in names, card, email and address never appear', async () => {
    const canary = 'CANARY7301';
    const ids = ['zz-last-in-sort-order', 'aa-first', `id-${canary}-x`];
    const patronFile = join(dir, 'canary-patrons.yaml');
    await writeFile(
      patronFile,
      ids.map((id, index) => `- { patronId: "${id}", barcode: "${canary}${index}", firstName: "${canary}first", lastName: "${canary}last", email: "${canary}@example.org", address: { city: "${canary}city", postalCode: "06820" }, birthDate: "1980-01-01" }`).join('\n'),
    );
    const pair = keyPairs['EC P-256'];
    const keyFile = await writeKeyFile(publicPem(pair.publicKey));
    const out = newOut();
    const result = await runGateway(['pseudonym-map', '--vendor', 'ebooks-demo', '--from', '3', '--to', '4', '--patrons', patronFile, '--recipient-key', keyFile, '--out', out, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { text, document } = await decryptMap(out, pair.privateKey);
    expect(document['pairs']).toEqual(expectedPairs(ids, 'ebooks-demo', 3, 4));
    expect(text).not.toContain(canary);
    for (const id of ids) expect(text).not.toContain(id);
    expect(`${result.stdout}${result.stderr}`).not.toContain(canary);
  });
});

describe('gateway pseudonym-map refuses bad input with exit 2 and writes nothing', () => {
  const ec = keyPairs['EC P-256'];
  it.each([
    ['an unknown vendor', async () => ['--vendor', 'no-such-vendor'], /there is no vendor "no-such-vendor"/],
    ['a vendor that receives no pseudonym (anonymous contract)', async () => ['--vendor', 'research-db-demo'], /receives no pseudonym/],
    ['the same epoch twice', async () => ['--from', '2', '--to', '2'], /the same epoch \(2\)/],
    ['an epoch that is not a whole number from 1', async () => ['--from', '0'], /whole numbers from 1/],
    ['a recipient key file that does not exist', async () => ['--recipient-key', join(dir, 'missing.pem')], /cannot be read/],
    ['a recipient key file that is not a key', async () => ['--recipient-key', await writeKeyFile('not a key at all')], /is not a PEM public key/],
    ['the vendor\'s private key instead of its public key (PEM)', async () => ['--recipient-key', await writeKeyFile(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())], /holds a private key/],
    ['the vendor\'s private key instead of its public key (JWK)', async () => ['--recipient-key', await writeKeyFile(JSON.stringify(ec.privateKey.export({ format: 'jwk' })))], /holds a private key/],
    ['an RSA key under 2048 bits', async () => ['--recipient-key', await writeKeyFile(publicPem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey))], /1024 bits; at least 2048/],
    ['a signing-only key (Ed25519)', async () => ['--recipient-key', await writeKeyFile(publicPem(generateKeyPairSync('ed25519').publicKey))], /ed25519 key, which cannot encrypt/],
    ['a patron file that cannot be read', async () => ['--patrons', join(dir, 'no-patrons.yaml')], /the patron file cannot be used/],
  ])('%s', async (_name, override, message) => {
    const defaults: Record<string, string> = { '--vendor': 'ebooks-demo', '--from': '1', '--to': '2', '--recipient-key': await writeKeyFile(publicPem(ec.publicKey)) };
    const extra = await override();
    const args: string[] = [];
    for (const [flag, value] of Object.entries(defaults)) if (!extra.includes(flag)) args.push(flag, value);
    const out = newOut();
    const before = await readdir(dir);
    const result = await runGateway(['pseudonym-map', ...args, ...extra, '--out', out, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('nothing written');
    expect(await readdir(dir)).toEqual(before);
  });

  it('without --recipient-key: a usage error (exit 2), nothing written', async () => {
    const out = newOut();
    const result = await spawnGateway(['pseudonym-map', '--vendor', 'ebooks-demo', '--from', '1', '--to', '2', '--out', out, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--recipient-key/);
    await expect(stat(out)).rejects.toThrow();
  });

  it('an existing --out file is never overwritten', async () => {
    const out = newOut();
    await writeFile(out, 'an earlier mapping');
    const result = await runGateway(['pseudonym-map', '--vendor', 'ebooks-demo', '--from', '1', '--to', '2', '--recipient-key', await writeKeyFile(publicPem(ec.publicKey)), '--out', out, '--config', TEST_SETTINGS], TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/already exists/);
    expect(await readFile(out, 'utf8')).toBe('an earlier mapping');
  });

  it('patrons from the ILS over SIP2 cannot be listed: without --patrons it says to export the ids, and works with them', async () => {
    const settings = join(dir, 'sip2-gateway.yaml');
    await writeFile(
      settings,
      [
        'publicUrl: https://gateway.library.test',
        `vendorsDir: ${join(ROOT, 'vendors')}`,
        'patrons: { source: sip2, sip2: { host: 127.0.0.1, port: 9, institution: TEST } }',
        'secrets: { pseudonymSecret: { env: TEST_PSEUDONYM_SECRET }, sessionKey: { env: TEST_SESSION_KEY }, assertionKeys: [{ kid: test-1, alg: ES256, privateKey: { env: TEST_ASSERTION_KEY } }] }',
      ].join('\n'),
    );
    const keyFile = await writeKeyFile(publicPem(ec.publicKey));
    const out = newOut();
    const refused = await runGateway(['pseudonym-map', '--vendor', 'ebooks-demo', '--from', '1', '--to', '2', '--recipient-key', keyFile, '--out', out, '--config', settings], TEST_ENV);
    expect(refused.stderr).toMatch(/cannot list them; export the patron ids/);
    expect(refused.code).toBe(2);
    await expect(stat(out)).rejects.toThrow();
    const ids = join(dir, 'ils-ids.yaml');
    await writeFile(ids, '- patronId: "29000000000001"\n- patronId: "29000000000002"\n');
    const done = await runGateway(['pseudonym-map', '--vendor', 'ebooks-demo', '--from', '1', '--to', '2', '--patrons', ids, '--recipient-key', keyFile, '--out', out, '--config', settings], TEST_ENV);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect((await decryptMap(out, ec.privateKey)).document['pairs']).toEqual(expectedPairs(['29000000000001', '29000000000002'], 'ebooks-demo', 1, 2));
  });
});
