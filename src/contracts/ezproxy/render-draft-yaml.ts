import { stringify } from 'yaml';
import type { DraftDocument } from './draft-contract.ts';

/**
 * A draft contract as YAML, headed by comments saying where it came from and what to check. The
 * contract dates and reference are placeholders `gateway check` accepts, marked TODO beside them.
 */
export function renderDraftYaml(document: DraftDocument, source: { file: string; line: number }): string {
  const body = stringify(document, { lineWidth: 0 })
    .replace(/^( {2}reference: .*)$/m, '$1 # TODO: the signed agreement\'s reference')
    .replace(/^( {2}effective: .*)$/m, '$1 # TODO: placeholder, the date the agreement took effect')
    .replace(/^( {2}expires: .*)$/m, '$1 # TODO: placeholder, the date the agreement ends');
  return [
    '# yaml-language-server: $schema=./schema.json',
    `# DRAFT imported by \`gateway import-ezproxy\` from ${source.file}:${source.line}. Review before use:`,
    '# the contract dates and reference are TODO placeholders; the import report lists every EZproxy',
    '# directive not carried over and every one that pushed patron identity (this draft is anonymous).',
    body.trimEnd(),
    '',
  ].join('\n');
}
