import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoundedText } from '../../../src/lib/read-bounded-text.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-bounded-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('readBoundedText reads a file whole, or just past its limit, never more', () => {
  it.each([
    ['an empty file', '', 10, ''],
    ['a file under the limit', 'a: 1\n', 10, 'a: 1\n'],
    ['a file of exactly the limit', 'abcdefghij', 10, 'abcdefghij'],
    ['a file one byte over (cut just past the limit, so a size check refuses it)', 'abcdefghijk', 10, 'abcdefghijk'],
    ['a file far over', 'x'.repeat(1000), 10, 'x'.repeat(11)],
    ['UTF-8 text', 'é'.repeat(5), 10, 'é'.repeat(5)],
  ])('%s', async (name, content, limit, expected) => {
    expect(await readBoundedText(await file(name.replace(/\W+/g, '-'), content), limit)).toBe(expected);
  });

  it('reads a file over several chunks (more than 1 MiB) whole when under the limit', async () => {
    const content = `${'a'.repeat(1024 * 1024)}${'b'.repeat(1024 * 1024)}tail`;
    expect(await readBoundedText(await file('big.txt', content), 3 * 1024 * 1024)).toBe(content);
    expect(await readBoundedText(await file('big2.txt', content), 1024 * 1024)).toBe(`${'a'.repeat(1024 * 1024)}b`);
  });

  it('stops on a file with no end', async () => {
    expect(await readBoundedText('/dev/zero', 100)).toBe('\0'.repeat(101));
  });

  it.each([
    ['a missing file', () => join(dir, 'missing.yaml'), 'ENOENT'],
    ['a folder', () => dir, 'EISDIR'],
  ])('throws for %s, as readFile does', async (_name, path, code) => {
    await expect(readBoundedText(path(), 10)).rejects.toMatchObject({ code });
  });
});
