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

function reportOf(text: string): string[] {
  const entry = '/cfg/config.txt';
  const result = importEzproxy(entry, (path) => (path === entry ? new TextEncoder().encode(text) : undefined));
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return formatImportReport(result.result);
}

describe('formatImportReport: the plain-language report, whole (each row states what the reader must be told and why)', () => {
  const cases: Array<{ name: string; text: string; report: string[] }> = [
    {
      name: 'a stanza carried over whole says so, so the reader knows nothing was left out',
      text: 'Title Plain\nURL https://plain.example\nD plain.example\n',
      report: ['Stanza "Plain" (/cfg/config.txt:1) -> plain.yaml (anonymous draft)', '  everything carried over; nothing pushes patron identity', '', '1 stanza(s), 1 draft(s); 0 identity-pushing directive(s) reported, none carried over.'],
    },
    {
      name: 'a stanza without a URL says there is no draft and why, and is counted as a stanza but not as a draft',
      text: 'Title Lonely\nD lonely.example\nTitle Plain\nURL https://plain.example\n',
      report: [
        'Stanza "Lonely" (/cfg/config.txt:1) -> NO DRAFT: the stanza has no usable http(s) URL',
        '  everything carried over; nothing pushes patron identity',
        '',
        'Stanza "Plain" (/cfg/config.txt:3) -> plain.yaml (anonymous draft)',
        '  everything carried over; nothing pushes patron identity',
        '',
        '2 stanza(s), 1 draft(s); 0 identity-pushing directive(s) reported, none carried over.',
      ],
    },
    {
      name: 'lines before the first stanza get their own section: what they push and why they are not carried over',
      text: 'Option X-Forwarded-For\nH stray.example\nTitle Plain\nURL https://plain.example\n',
      report: [
        'Before the first stanza (positional directives; they apply to the stanzas after them):',
        '  Pushes patron identity to the vendor:',
        '    - /cfg/config.txt:1 "Option X-Forwarded-For": EZproxy sends the patron\'s own IP address to the vendor in X-Forwarded-For',
        '  Not carried over:',
        '    - /cfg/config.txt:1 "Option X-Forwarded-For": EZproxy option "X-Forwarded-For" has no contract equivalent: the gateway keeps vendor cookies per origin and decides what it rewrites itself (applies from this line on)',
        '    - /cfg/config.txt:2 "H stray.example": Host before the first Title belongs to no database stanza',
        '',
        'Stanza "Plain" (/cfg/config.txt:3) -> plain.yaml (anonymous draft)',
        '  Pushes patron identity to the vendor:',
        '    - /cfg/config.txt:1 "Option X-Forwarded-For": EZproxy sends the patron\'s own IP address to the vendor in X-Forwarded-For',
        '',
        '1 stanza(s), 1 draft(s); 1 identity-pushing directive(s) reported, none carried over.',
      ],
    },
    {
      name: 'a header written at the end of a stanza without a URL is reported once, for the stanza it applies to (the count is not doubled)',
      text: 'Title Lonely\nD lonely.example\nAddUserHeader X-Card\nTitle Plain\nURL https://plain.example\n',
      report: [
        'Stanza "Lonely" (/cfg/config.txt:1) -> NO DRAFT: the stanza has no usable http(s) URL',
        '  everything carried over; nothing pushes patron identity',
        '',
        'Stanza "Plain" (/cfg/config.txt:4) -> plain.yaml (anonymous draft)',
        '  Pushes patron identity to the vendor:',
        '    - /cfg/config.txt:3 "AddUserHeader X-Card": EZproxy sends the signed-in patron\'s username to the vendor in the "X-Card" header on every request; for most libraries that username is the library card number, so the vendor learns who is reading what',
        '  Not carried over:',
        '    - /cfg/config.txt:3 "AddUserHeader X-Card": pushes patron identity: the drafts are anonymous (identity: { delivery: none }); release fields deliberately in the contract instead (applies from this line on)',
        '',
        '2 stanza(s), 1 draft(s); 1 identity-pushing directive(s) reported, none carried over.',
      ],
    },
    {
      name: 'a line carried only in part is listed with what was not carried, findings come in the order identity, exposure, placeholders',
      text: 'Title Mixed\nURL -Refresh https://<Inst>.mixed.example\nHTTPHeader -request -process X-Requested-With\nIdentifier secret\n',
      report: [
        'Stanza "Mixed" (/cfg/config.txt:1) -> mixed.yaml (anonymous draft)',
        '  Pushes patron identity to the vendor:',
        '    - /cfg/config.txt:4 "Identifier secret": sends the vendor a stable identifier of the patron, so their visits can be linked',
        '  Widens exposure:',
        '    - /cfg/config.txt:3 "HTTPHeader -request -process X-Requested-With": passes the patron\'s browser\'s X-Requested-With header(s) through to the vendor',
        '  Placeholders to fill in:',
        '    - /cfg/config.txt:2 "URL -Refresh https://<Inst>.mixed.example": holds a placeholder for your institution\'s value (drafted as todo-...): replace it in the draft',
        '  Not carried over:',
        '    - /cfg/config.txt:2 "URL -Refresh https://<Inst>.mixed.example": upstream.url (not carried over: -Refresh: the gateway never submits login forms or refreshes on the patron\'s behalf)',
        '    - /cfg/config.txt:4 "Identifier secret": pushes patron identity: release a pseudonym deliberately in the contract\'s fields instead',
        '',
        '1 stanza(s), 1 draft(s); 1 identity-pushing directive(s) reported, none carried over.',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(reportOf(c.text)).toEqual(c.report);
    });
  }
});
