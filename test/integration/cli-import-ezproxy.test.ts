import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runGateway, spawnGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

/** OCLC's published stanzas for six public-library vendors, copied from ../shared/reference (see its header). */
const STANZAS = fileURLToPath(new URL('../fixtures/ezproxy/ezproxy-stanzas.txt', import.meta.url));

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gw-ezproxy-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('gateway import-ezproxy on the real OCLC stanzas', () => {
  it('writes one draft per stanza and every draft passes gateway check (the real executable)', async () => {
    const out = await tempDir();
    const result = await spawnGateway(['import-ezproxy', STANZAS, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = (await readdir(out)).sort();
    expect(files).toEqual(['abcmouse.yaml', 'axis360-mobile.yaml', 'axis360.yaml', 'ebscohost.yaml', 'gale-products.yaml', 'kanopy-streaming.yaml', 'kanopy.yaml', 'proquest.yaml']);
    const check = await runGateway(['check', '--vendors', out, '--config', TEST_SETTINGS], TEST_ENV);
    expect(check.stderr).not.toMatch(/error/i);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/check passed: settings and 8 contract\(s\) are valid/);
  });

  it('reports every directive that pushes patron identity, by line, and carries none into the drafts (they stay anonymous)', async () => {
    const text = await readFile(STANZAS, 'utf8');
    const pushing = text.split('\n').flatMap((line, index) => (/^(AddUserHeader\s+\S|FormVariable .*session:user|Identifier\b)/i.test(line) ? [index + 1] : []));
    expect(pushing.length).toBe(4); // ABCMouse's card-number header, EBSCO's username header, Axis360's two username posts
    const result = await runGateway(['import-ezproxy', STANZAS]);
    expect(result.code).toBe(0);
    const report = result.stdout.slice(0, result.stdout.indexOf('\n--- #'));
    const identitySections = report.split(/\n(?=Stanza |  [A-Z])/).filter((s) => s.startsWith('  Pushes patron identity'));
    for (const line of pushing) expect(identitySections.join('\n')).toContain(`ezproxy-stanzas.txt:${line} `);
    expect(report).toMatch(/card number/);
    expect(report).toContain('4 identity-pushing directive(s) reported, none carried over');
    const drafts = result.stdout.slice(report.length);
    expect(drafts).not.toMatch(/X-libraryCardNumber|X-EBSCO-PROXY-Username|session:user|userIdentifier/i);
    expect(drafts.match(/delivery: none/g)?.length).toBe(8);
  });

  it('reports the exposure directives: header pass-through of session-like headers', async () => {
    const result = await runGateway(['import-ezproxy', STANZAS]);
    expect(result.stdout).toMatch(/Widens exposure:\n.*X-XSRF-TOKEN.*identify the patron or their session/);
  });

  it('never overwrites an existing contract, and writes nothing when one exists', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'kanopy.yaml'), 'mine\n');
    const result = await runGateway(['import-ezproxy', STANZAS, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/kanopy\.yaml: already exists; the import never overwrites/);
    expect(await readdir(out)).toEqual(['kanopy.yaml']);
    expect(await readFile(join(out, 'kanopy.yaml'), 'utf8')).toBe('mine\n');
  });
});

describe('gateway import-ezproxy refuses bad input with a clear error and writes nothing', () => {
  const cases: Array<{ name: string; files: Record<string, string | Buffer>; error: RegExp }> = [
    { name: 'a missing IncludeFile names the including line and the resolved path', files: { 'config.txt': 'Title A\nURL https://a.example\nIncludeFile more/missing.txt\n' }, error: /config\.txt:3: cannot read .*more\/missing\.txt: no such file/ },
    { name: 'an include cycle is refused with the whole chain', files: { 'config.txt': 'IncludeFile b.txt\n', 'b.txt': 'Title B\nURL https://b.example\nIncludeFile config.txt\n' }, error: /b\.txt:3: IncludeFile .*config\.txt makes a cycle \(.*config\.txt -> .*b\.txt -> .*config\.txt\)/ },
    { name: 'binary garbage is not read as directives', files: { 'config.txt': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff, 0xfe]) }, error: /config\.txt: it holds a NUL byte at offset 6: it is a binary file/ },
    { name: 'a Find without its Replace would silently change nothing', files: { 'config.txt': 'Title A\nURL https://a.example\nFind secret\nNeverProxy b.example\n' }, error: /config\.txt:3: Find is not followed by a Replace \(next is line 4: NeverProxy\)/ },
  ];
  for (const { name, files, error } of cases) {
    it(name, async () => {
      const dir = await tempDir();
      const out = join(dir, 'out');
      for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
      const result = await runGateway(['import-ezproxy', join(dir, 'config.txt'), '--out', out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(error);
      expect(result.stderr).toMatch(/no drafts written/);
      expect(result.stdout).toBe('');
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    });
  }

  it('a missing config file itself is named', async () => {
    const dir = await tempDir();
    await copyFile(STANZAS, join(dir, 'ok.txt'));
    const result = await runGateway(['import-ezproxy', join(dir, 'nope.txt')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/command line: cannot read .*nope\.txt: no such file/);
  });
});
