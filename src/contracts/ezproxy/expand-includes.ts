import { dirname, isAbsolute, resolve } from 'node:path';
import { tokenizeConfig, whyNotText, type ConfigLine } from './tokenize-config.ts';

/** Reads a file's bytes, or undefined when it does not exist (injected: the importer never touches the disk itself). */
export type ReadConfigFile = (path: string) => Uint8Array | undefined;

export type ExpandResult = { readonly ok: true; readonly lines: ConfigLine[] } | { readonly ok: false; readonly problems: string[] };

/**
 * The config's directive lines with every `IncludeFile` replaced by the lines of the file it names,
 * resolved relative to the including file. A missing file, a binary file and an include cycle are
 * refused, each named with the file and line that included it. IncludeFile lines themselves are
 * kept (so every line is accounted for).
 */
export function expandIncludes(entry: string, readFile: ReadConfigFile): ExpandResult {
  const problems: string[] = [];
  const lines: ConfigLine[] = [];
  const visit = (path: string, chain: ReadonlyArray<string>, from: string): void => {
    if (chain.includes(path)) {
      problems.push(`${from}: IncludeFile ${path} makes a cycle (${[...chain, path].join(' -> ')}); remove one of the includes`);
      return;
    }
    const bytes = readFile(path);
    if (bytes === undefined) {
      problems.push(`${from}: cannot read ${path}: no such file; check the IncludeFile path (it is relative to the file that includes it)`);
      return;
    }
    const why = whyNotText(bytes);
    if (why !== undefined) {
      problems.push(`${path}: ${why}`);
      return;
    }
    for (const line of tokenizeConfig(new TextDecoder().decode(bytes), path)) {
      lines.push(line);
      if (line.directive === 'IncludeFile') {
        if (line.rest === '') {
          problems.push(`${line.file}:${line.line}: IncludeFile names no file; write IncludeFile other.txt`);
          continue;
        }
        const target = isAbsolute(line.rest) ? line.rest : resolve(dirname(path), line.rest);
        visit(target, [...chain, path], `${line.file}:${line.line}`);
      }
    }
  };
  visit(resolve(entry), [], 'command line');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, lines };
}
