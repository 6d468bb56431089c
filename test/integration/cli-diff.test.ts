import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateway, spawnGateway } from '../helpers/cli.ts';

let dir: string;
let current: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-diff-'));
  current = await readFile('vendors/ebooks-demo.yaml', 'utf8');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function proposal(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('gateway diff OLD NEW', () => {
  it.each([
    ['an identical copy', (t: string) => t, 0, /no change for patrons/],
    ['a reworded purpose', (t: string) => t.replace('Borrow e-books and audiobooks', 'Borrow e-books, audiobooks and magazines'), 0, /no change for patrons/],
    ['email no longer needing consent', (t: string) => t.replace('{ action: pass, consent: share-email-with-vendors }', '{ action: pass }'), 2, /WIDER[\s\S]*asked to accept the notice again[\s\S]*\+ fields.email/],
    ['ZIP prefix dropped', (t: string) => t.replace('  address.postalCode: { action: generalize, to: postalCode3 }\n', ''), 1, /NARROWER[\s\S]*- fields.address.postalCode: generalize to postalCode3 as postalCode3 -> withheld/],
  ])('%s exits %i', async (_name, edit, code, output) => {
    const result = await runGateway(['diff', 'vendors/ebooks-demo.yaml', await proposal('proposed.yaml', edit(current))]);
    expect(result.code).toBe(code);
    expect(result.stdout).toMatch(output);
  });

  it('lists an OpenID Connect vendor\'s new redirect URI as wider, and its new scopes as neutral', async () => {
    const oidc = await readFile('vendors/courses-oidc-demo.yaml', 'utf8');
    const widened = oidc.replace('redirectUris: [http://127.0.0.1:6021/callback]', 'redirectUris: [http://127.0.0.1:6021/callback, https://courses.example/cb]').replace('scopes: [openid, profile, email]', 'scopes: [openid]');
    const result = await runGateway(['diff', 'vendors/courses-oidc-demo.yaml', await proposal('oidc.yaml', widened)]);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/\+ identity\.oidc\.redirectUris: http:\/\/127\.0\.0\.1:6021\/callback -> http:\/\/127\.0\.0\.1:6021\/callback, https:\/\/courses\.example\/cb \(sign-ins may now return to https:\/\/courses\.example\/cb\)/);
    expect(result.stdout).toMatch(/~ identity\.oidc\.scopes: openid profile email -> openid/);
  });

  it('prints JSON with --json (the real executable)', async () => {
    const result = await spawnGateway(['diff', 'vendors/ebooks-demo.yaml', await proposal('p.yaml', current.replace('to: ageBand', 'to: birthYear')), '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ vendor: 'ebooks-demo', overall: 'wider', noticeVersionChanged: true, changes: [{ path: 'fields.birthDate', direction: 'wider' }] });
  });

  it.each([
    ['an invalid proposal', async () => proposal('bad.yaml', current.replace('to: ageBand', 'to: decade')), /bad.yaml: fields.birthDate.to: "decade" is not a generalization/],
    ['a missing file', async () => join(dir, 'missing.yaml'), /cannot be read/],
    ['another vendor', async () => 'vendors/streaming-demo.yaml', /two different vendors/],
  ])('exits 3 for %s', async (_name, make, message) => {
    const result = await runGateway(['diff', 'vendors/ebooks-demo.yaml', await make()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
  });
});
