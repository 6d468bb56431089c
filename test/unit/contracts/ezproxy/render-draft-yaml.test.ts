import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { DraftDocument } from '../../../../src/contracts/ezproxy/draft-contract.ts';
import { renderDraftYaml } from '../../../../src/contracts/ezproxy/render-draft-yaml.ts';
import { compileContractText } from '../../../../src/contracts/load-contracts.ts';

/** A draft as draftContract makes it; each case changes what it is about. */
function draft(change: Partial<DraftDocument> = {}): DraftDocument {
  return {
    id: 'vendor',
    name: 'Vendor',
    kind: 'database',
    purpose: 'Use Vendor through the library',
    contract: { reference: 'TODO-EZPROXY-IMPORT', effective: '2000-01-01', expires: '2099-12-31' },
    upstream: { url: 'https://www.vendor.example/start', hosts: ['www.vendor.example'] },
    browse: { domains: [], scriptHosts: [], replace: [], neverProxy: [] },
    identity: { delivery: 'none' },
    ...change,
  };
}
const SOURCE = { file: '/cfg/config.txt', line: 12 };
const LONG_TITLE = 'Gale in Context: Opposing Viewpoints, Global Issues, Science, Biography, World History and Environmental Studies';

describe('renderDraftYaml', () => {
  const cases: Array<{ name: string; document: DraftDocument; lines: string[] }> = [
    {
      name: 'each contract placeholder is marked TODO on its own line, saying what the library must put there',
      document: draft(),
      lines: [
        "  reference: TODO-EZPROXY-IMPORT # TODO: the signed agreement's reference",
        '  effective: 2000-01-01 # TODO: placeholder, the date the agreement took effect',
        '  expires: 2099-12-31 # TODO: placeholder, the date the agreement ends',
      ],
    },
    {
      name: 'a long title stays on one line (not folded), so the reviewer finds it as EZproxy wrote it',
      document: draft({ name: LONG_TITLE, purpose: `Use ${LONG_TITLE} through the library` }),
      lines: [`name: "${LONG_TITLE}"`, `purpose: "Use ${LONG_TITLE} through the library"`],
    },
    {
      name: 'a Find text that mentions "reference:" is not mistaken for the placeholder: only the contract\'s reference gets the TODO',
      document: draft({ browse: { domains: [], scriptHosts: [], replace: [{ find: 'a  reference: b', replace: 'c' }], neverProxy: [] } }),
      lines: ['    - find: "a  reference: b"'],
    },
    {
      name: 'the header names the EZproxy file and line the draft came from, and says the draft is anonymous',
      document: draft(),
      lines: ['# DRAFT imported by `gateway import-ezproxy` from /cfg/config.txt:12. Review before use:', '# directive not carried over and every one that pushed patron identity (this draft is anonymous).'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const text = renderDraftYaml(c.document, SOURCE);
      const lines = text.split('\n');
      for (const line of c.lines) expect(lines).toContain(line);
      expect(text.match(/# TODO/g)).toHaveLength(3);
    });
  }

  const roundTrips: Array<{ name: string; document: DraftDocument }> = [
    { name: 'a plain draft', document: draft() },
    { name: 'a draft with every browse list, request headers and a long title', document: draft({ name: LONG_TITLE, purpose: `Use ${LONG_TITLE} through the library`, upstream: { url: 'https://www.vendor.example/', hosts: ['www.vendor.example', 'cdn.vendor.example'] }, browse: { domains: ['vendor.example'], scriptHosts: ['cdn.vendor.example'], replace: [{ find: 'a == "b" # not a comment', replace: 'true' }], neverProxy: ['help.vendor.example'] }, request: { headers: ['X-Requested-With'] } }) },
  ];
  for (const c of roundTrips) {
    it(`${c.name} parses back to the same document (the comments are only comments), and gateway check compiles it`, () => {
      const text = renderDraftYaml(c.document, SOURCE);
      expect(parse(text)).toEqual(c.document);
      const compiled = compileContractText(`/vendors/${c.document.id}.yaml`, text, { signingKeyConfigured: false });
      expect(compiled.problems).toEqual([]);
      expect(compiled.contract?.id).toBe(c.document.id);
    });
  }
});
