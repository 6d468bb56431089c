import { Document, type Scalar } from 'yaml';
import type { DraftDocument } from './draft-contract.ts';

/** The placeholders `gateway check` accepts, each marked on its own line with what to put there. */
const TODOS: ReadonlyArray<readonly [key: keyof DraftDocument['contract'], comment: string]> = [
  ['reference', ' TODO: the signed agreement\'s reference'],
  ['effective', ' TODO: placeholder, the date the agreement took effect'],
  ['expires', ' TODO: placeholder, the date the agreement ends'],
];

/**
 * A draft contract as YAML, headed by comments saying where it came from and what to check. The
 * contract dates and reference are placeholders `gateway check` accepts, marked TODO beside them.
 * Every value stays on one line (no folding), as the reviewer compares it with the EZproxy line.
 */
export function renderDraftYaml(document: DraftDocument, source: { file: string; line: number }): string {
  const yaml = new Document(document);
  // The draft always has these three scalars (DraftDocument says so).
  for (const [key, comment] of TODOS) (yaml.getIn(['contract', key], true) as Scalar).comment = comment;
  return [
    '# yaml-language-server: $schema=./schema.json',
    `# DRAFT imported by \`gateway import-ezproxy\` from ${source.file}:${source.line}. Review before use:`,
    '# the contract dates and reference are TODO placeholders; the import report lists every EZproxy',
    '# directive not carried over and every one that pushed patron identity (this draft is anonymous).',
    yaml.toString({ lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}
