import { draftContract, positionalFindings, whyPositionalNotCarried, type DraftDocument, type DraftedStanza } from './draft-contract.ts';
import { expandIncludes, type ReadConfigFile } from './expand-includes.ts';
import { groupStanzas, POSITIONAL } from './group-stanzas.ts';
import type { Finding, LineOutcome } from './stanza-report.ts';

export interface EzproxyImport {
  /** One per stanza, in file order; ids are unique (a repeated title gets -2, -3...). */
  readonly stanzas: ReadonlyArray<DraftedStanza & { readonly id: string | undefined }>;
  /** Lines before the first Title: positional directives (they also show in the findings of the stanzas they apply to). */
  readonly outside: ReadonlyArray<LineOutcome>;
  readonly outsideFindings: ReadonlyArray<Finding>;
}

export type ImportResult = { readonly ok: true; readonly result: EzproxyImport } | { readonly ok: false; readonly problems: ReadonlyArray<string> };

/**
 * Reads an EZproxy config (with its IncludeFiles) and drafts one browse contract per database stanza.
 * Pure but for the injected reader. Fails, naming every problem at once, on a missing or binary file,
 * an include cycle and a Find without Replace; anything else it cannot carry is listed, never dropped.
 */
export function importEzproxy(entry: string, readFile: ReadConfigFile): ImportResult {
  const expanded = expandIncludes(entry, readFile);
  if (!expanded.ok) return expanded;
  const grouped = groupStanzas(expanded.lines);
  const used = new Set<string>();
  const problems: string[] = [];
  const stanzas = grouped.stanzas.map((stanza) => {
    const drafted = draftContract(stanza);
    problems.push(...drafted.problems);
    if (!drafted.document) return { ...drafted, id: undefined };
    let id = drafted.document.id;
    for (let n = 2; used.has(id); n += 1) id = `${drafted.document.id}-${n}`;
    used.add(id);
    const document: DraftDocument = { ...drafted.document, id };
    return { ...drafted, document, id };
  });
  if (problems.length > 0) return { ok: false, problems };
  const outside = grouped.outside.map((line) => ({ file: line.file, line: line.line, text: line.text, carriedInto: undefined, reason: POSITIONAL.has(line.directive) ? `${whyPositionalNotCarried(line)} (applies from this line on)` : `${line.directive ?? `unknown directive "${line.written}"`} before the first Title belongs to no database stanza` }));
  return { ok: true, result: { stanzas, outside, outsideFindings: grouped.outside.flatMap(positionalFindings) } };
}
