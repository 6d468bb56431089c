import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatImportReport } from '../../../../src/contracts/ezproxy/format-import-report.ts';
import { importEzproxy } from '../../../../src/contracts/ezproxy/import-ezproxy.ts';
import { renderDraftYaml } from '../../../../src/contracts/ezproxy/render-draft-yaml.ts';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/ezproxy/ezproxy-stanzas.txt', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../../../fixtures/ezproxy/ezproxy-stanzas.expected.txt', import.meta.url));

/**
 * Golden file: the whole report and every draft for OCLC's real stanzas, reviewed by hand once
 * (every reason and finding read against the stanza). Regenerate with UPDATE_GOLDEN=1 and review the diff.
 */
describe('the import of the real OCLC stanzas', () => {
  it('matches the reviewed golden report and drafts', () => {
    const entry = '/config/ezproxy-stanzas.txt';
    const result = importEzproxy(entry, (path) => (path === entry ? readFileSync(FIXTURE) : undefined));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const drafts = result.result.stanzas.flatMap((s) => (s.document ? [renderDraftYaml(s.document, { file: s.file, line: s.line })] : []));
    const text = `${[...formatImportReport(result.result), ...drafts].join('\n')}\n`;
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
