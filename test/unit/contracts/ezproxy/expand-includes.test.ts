import { describe, expect, it } from 'vitest';
import { expandIncludes } from '../../../../src/contracts/ezproxy/expand-includes.ts';

function readerOf(files: Record<string, string | Uint8Array>) {
  return (path: string): Uint8Array | undefined => {
    const content = files[path];
    return typeof content === 'string' ? new TextEncoder().encode(content) : content;
  };
}

describe('expandIncludes', () => {
  const cases: Array<{ name: string; files: Record<string, string | Uint8Array>; problem: RegExp }> = [
    { name: 'a missing include names the line that includes it and the path it resolved (relative to the including file)', files: { '/c/a.txt': '# x\nIncludeFile sub/b.txt\n' }, problem: /^\/c\/a\.txt:2: cannot read \/c\/sub\/b\.txt: no such file; check the IncludeFile path/ },
    { name: 'a file including itself is a cycle', files: { '/c/a.txt': 'IncludeFile a.txt\n' }, problem: /^\/c\/a\.txt:1: IncludeFile \/c\/a\.txt makes a cycle \(\/c\/a\.txt -> \/c\/a\.txt\)/ },
    { name: 'a longer cycle shows its whole chain', files: { '/c/a.txt': 'IncludeFile b.txt\n', '/c/b.txt': 'IncludeFile /c/a.txt\n' }, problem: /\/c\/b\.txt:1: IncludeFile \/c\/a\.txt makes a cycle \(\/c\/a\.txt -> \/c\/b\.txt -> \/c\/a\.txt\)/ },
    { name: 'an IncludeFile with no file name is an error, not a silent skip', files: { '/c/a.txt': 'IncludeFile\n' }, problem: /^\/c\/a\.txt:1: IncludeFile names no file/ },
    { name: 'an included binary file is refused by name', files: { '/c/a.txt': 'IncludeFile b.bin\n', '/c/b.bin': new Uint8Array([1, 2, 0, 3]) }, problem: /^\/c\/b\.bin: it holds a NUL byte at offset 2/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = expandIncludes('/c/a.txt', readerOf(c.files));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.join('\n')).toMatch(c.problem);
    });
  }

  it('the same file included twice (not a cycle) is read twice, its lines kept in order', () => {
    const result = expandIncludes('/c/a.txt', readerOf({ '/c/a.txt': 'IncludeFile b.txt\nIncludeFile b.txt\n', '/c/b.txt': 'D b.example\n' }));
    expect(result.ok && result.lines.map((l) => `${l.file}:${l.line}:${l.directive ?? '?'}`)).toEqual(['/c/a.txt:1:IncludeFile', '/c/b.txt:1:Domain', '/c/a.txt:2:IncludeFile', '/c/b.txt:1:Domain']);
  });

  it('skips comments and blank lines, keeps line numbers, folds names and short forms, and reads CRLF files', () => {
    const result = expandIncludes('/c/a.txt', readerOf({ '/c/a.txt': '# c\r\n\r\n  hj   a.example  \r\nDJ b.example\r\nWhatever x y\r\n' }));
    expect(result.ok && result.lines.map((l) => [l.line, l.written, l.directive, l.rest])).toEqual([
      [3, 'hj', 'HostJavaScript', 'a.example'],
      [4, 'DJ', 'DomainJavaScript', 'b.example'],
      [5, 'Whatever', undefined, 'x y'],
    ]);
  });
});
