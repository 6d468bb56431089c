import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { draftContract, type DraftDocument } from '../../../../src/contracts/ezproxy/draft-contract.ts';
import { groupStanzas } from '../../../../src/contracts/ezproxy/group-stanzas.ts';
import { renderDraftYaml } from '../../../../src/contracts/ezproxy/render-draft-yaml.ts';
import { tokenizeConfig } from '../../../../src/contracts/ezproxy/tokenize-config.ts';
import { compileContractText } from '../../../../src/contracts/load-contracts.ts';

/** The draft the importer makes of one EZproxy stanza. */
function draftOf(stanza: string): DraftDocument {
  const [first] = groupStanzas(tokenizeConfig(stanza, '/cfg/config.txt')).stanzas;
  const document = first === undefined ? undefined : draftContract(first).document;
  if (document === undefined) throw new Error(`no draft for ${stanza}`);
  return document;
}
const BASE = 'Title Vendor\nURL https://www.vendor.example/start\n';
const SOURCE = { file: '/cfg/config.txt', line: 12 };
const LONG_TITLE = 'Gale in Context: Opposing Viewpoints, Global Issues, Science, Biography, World History and Environmental Studies';

describe('renderDraftYaml', () => {
  const cases: Array<{ name: string; stanza: string; lines: string[] }> = [
    {
      name: 'each contract placeholder is marked TODO on its own line, saying what the library must put there',
      stanza: BASE,
      lines: [
        "  reference: TODO-EZPROXY-IMPORT # TODO: the signed agreement's reference",
        '  effective: 2000-01-01 # TODO: placeholder, the date the agreement took effect',
        '  expires: 2099-12-31 # TODO: placeholder, the date the agreement ends',
      ],
    },
    {
      name: 'a long title stays on one line (not folded), so the reviewer finds it as EZproxy wrote it',
      stanza: `Title ${LONG_TITLE}\nURL https://g.example\n`,
      lines: [`name: "${LONG_TITLE}"`, `purpose: "Use ${LONG_TITLE} through the library"`],
    },
    {
      name: 'a Find text that mentions "reference:" is not mistaken for the placeholder: only the contract\'s reference gets the TODO',
      stanza: `${BASE}Find a  reference: b\nReplace c\n`,
      lines: ['    - find: "a  reference: b"'],
    },
    {
      name: 'the header names the EZproxy file and line the draft came from, and says the draft is anonymous',
      stanza: BASE,
      lines: ['# DRAFT imported by `gateway import-ezproxy` from /cfg/config.txt:12. Review before use:', '# directive not carried over and every one that pushed patron identity (this draft is anonymous).'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const text = renderDraftYaml(draftOf(c.stanza), SOURCE);
      const lines = text.split('\n');
      for (const line of c.lines) expect(lines).toContain(line);
      expect(text.match(/# TODO/g)).toHaveLength(3);
    });
  }

  const roundTrips: Array<{ name: string; stanza: string }> = [
    { name: 'a plain draft', stanza: BASE },
    { name: 'a draft with every browse list, request headers and a long title', stanza: `Title ${LONG_TITLE}\nURL https://www.vendor.example/\nHJ cdn.vendor.example\nD vendor.example\nFind a == "b" # not a comment\nReplace true\nNeverProxy help.vendor.example\nHTTPHeader -request -process X-Requested-With\n` },
    { name: 'a draft whose title holds a Unicode line separator', stanza: 'Title Gale\u2028Books\nURL https://g.example\n' },
  ];
  for (const c of roundTrips) {
    it(`${c.name} parses back to the same document (the comments are only comments), and gateway check compiles it`, () => {
      const document = draftOf(c.stanza);
      const text = renderDraftYaml(document, SOURCE);
      expect(parse(text)).toEqual(document);
      const compiled = compileContractText(`/vendors/${document.id}.yaml`, text, { signingKeyConfigured: false });
      expect(compiled.problems).toEqual([]);
      expect(compiled.contract?.id).toBe(document.id);
    });
  }
});
