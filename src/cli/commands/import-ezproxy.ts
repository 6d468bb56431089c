import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatImportReport } from '../../contracts/ezproxy/format-import-report.ts';
import { importEzproxy } from '../../contracts/ezproxy/import-ezproxy.ts';
import { renderDraftYaml } from '../../contracts/ezproxy/render-draft-yaml.ts';
import { EXIT, type CliIo } from '../cli-io.ts';

/** Reads a file's bytes, or undefined when there is no such file (other errors, such as a folder, are reported as unreadable too). */
function readConfigFile(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * `gateway import-ezproxy config.txt [--out DIR]`: draft one anonymous browse contract per EZproxy
 * database stanza and print, per stanza, every directive that pushes patron identity or widens
 * exposure and every directive not carried over. Without --out the drafts follow the report on
 * stdout; with --out they are written to DIR/<id>.yaml, never over an existing file.
 */
export function registerImportEzproxy(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('import-ezproxy')
    .description('draft browse contracts from an EZproxy config (stanzas), reporting identity pushes and what is not carried over')
    .argument('<config>', 'the EZproxy config file (IncludeFile paths are relative to the file that includes them)')
    .option('--out <dir>', 'write each draft to DIR/<id>.yaml (refuses to overwrite)')
    .action((config: string, options: { out?: string }) => {
      setExit(runImportEzproxy(config, options, io));
    });
}

export function runImportEzproxy(config: string, options: { out?: string }, io: CliIo): number {
  const imported = importEzproxy(config, readConfigFile);
  if (!imported.ok) {
    for (const problem of imported.problems) io.stderr(problem);
    io.stderr(`import failed: ${imported.problems.length} problem(s); no drafts written`);
    return EXIT.invalid;
  }
  const result = imported.result;
  for (const line of formatImportReport(result)) io.stdout(line);
  const drafts = result.stanzas.flatMap((s) => (s.document ? [{ id: s.document.id, text: renderDraftYaml(s.document, { file: s.file, line: s.line }) }] : []));
  if (options.out === undefined) {
    for (const draft of drafts) io.stdout(`--- # ${draft.id}.yaml\n${draft.text}`);
    return EXIT.ok;
  }
  const out = options.out;
  const taken = drafts.map((d) => join(out, `${d.id}.yaml`)).filter((path) => existsSync(path));
  if (taken.length > 0) {
    for (const path of taken) io.stderr(`${path}: already exists; the import never overwrites a contract (move it away or choose another --out)`);
    io.stderr(`import failed: ${taken.length} file(s) already exist; no drafts written`);
    return EXIT.invalid;
  }
  mkdirSync(out, { recursive: true });
  for (const draft of drafts) writeFileSync(join(out, `${draft.id}.yaml`), draft.text, { flag: 'wx' });
  io.stdout(`wrote ${drafts.length} draft(s) to ${out}`);
  return EXIT.ok;
}
