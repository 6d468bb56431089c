import type { EzproxyImport } from './import-ezproxy.ts';
import type { Finding, LineOutcome } from './stanza-report.ts';

const HEADINGS: Readonly<Record<Finding['kind'], string>> = {
  identity: 'Pushes patron identity to the vendor',
  exposure: 'Widens exposure',
  placeholder: 'Placeholders to fill in',
};

function findingLines(findings: ReadonlyArray<Finding>): string[] {
  const out: string[] = [];
  for (const kind of ['identity', 'exposure', 'placeholder'] as const) {
    const some = findings.filter((f) => f.kind === kind);
    if (some.length === 0) continue;
    out.push(`  ${HEADINGS[kind]}:`);
    for (const f of some) out.push(`    - ${f.file}:${f.line} "${f.text}": ${f.explanation}`);
  }
  return out;
}

function notCarriedLines(outcomes: ReadonlyArray<LineOutcome>): string[] {
  const dropped = outcomes.filter((o) => o.carriedInto === undefined || o.carriedInto.includes('not carried over'));
  if (dropped.length === 0) return [];
  return ['  Not carried over:', ...dropped.map((o) => `    - ${o.file}:${o.line} "${o.text}": ${o.reason ?? o.carriedInto ?? ''}`)];
}

/** The plain-language import report: per stanza, identity pushes, exposure, placeholders, and what was not carried over. */
export function formatImportReport(result: EzproxyImport): string[] {
  const lines: string[] = [];
  if (result.outside.length > 0) {
    lines.push('Before the first stanza (positional directives; they apply to the stanzas after them):');
    lines.push(...findingLines(result.outsideFindings));
    lines.push(...notCarriedLines(result.outside));
    lines.push('');
  }
  for (const stanza of result.stanzas) {
    lines.push(`Stanza "${stanza.title}" (${stanza.file}:${stanza.line}) -> ${stanza.id === undefined ? 'NO DRAFT: the stanza has no usable http(s) URL' : `${stanza.id}.yaml (anonymous draft)`}`);
    const details = [...findingLines(stanza.findings), ...notCarriedLines(stanza.outcomes)];
    lines.push(...(details.length > 0 ? details : ['  everything carried over; nothing pushes patron identity']));
    lines.push('');
  }
  const drafts = result.stanzas.filter((s) => s.id !== undefined).length;
  const identity = result.stanzas.reduce((n, s) => n + s.findings.filter((f) => f.kind === 'identity').length, 0);
  lines.push(`${result.stanzas.length} stanza(s), ${drafts} draft(s); ${identity} identity-pushing directive(s) reported, none carried over.`);
  return lines;
}
