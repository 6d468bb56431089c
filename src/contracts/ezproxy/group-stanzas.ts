import type { ConfigLine } from './tokenize-config.ts';

/** Directives that apply to the stanzas after them until changed (EZproxy reads its config top to bottom). */
export const POSITIONAL: ReadonlySet<string | undefined> = new Set(['Option', 'AddUserHeader', 'HTTPMethod', 'AnonymousURL', 'RedirectSafe', 'ProxyHostnameEdit', 'IncludeFile']);

/** One database stanza: its Title line, the positional lines just before it and the lines up to the next Title, and the positional directives in effect for it. */
export interface Stanza {
  readonly title: ConfigLine;
  readonly lines: ReadonlyArray<ConfigLine>;
  /** AddUserHeader and Option lines in effect when the stanza's URL is read; none without a URL (no database, nothing applies). */
  readonly inEffect: ReadonlyArray<ConfigLine>;
}

export interface GroupedConfig {
  /** Lines before the first Title (positional directives for the stanzas below, or stray ones). */
  readonly outside: ReadonlyArray<ConfigLine>;
  readonly stanzas: ReadonlyArray<Stanza>;
}

/** A line that opens the stanza below when it stands just before its Title: a positional directive, but not an IncludeFile (where a file was read). */
function opensNextStanza(line: ConfigLine | undefined): boolean {
  return line !== undefined && line.directive !== 'IncludeFile' && POSITIONAL.has(line.directive);
}

/** The option name an Option line turns on or off: `Option NoCookie` turns off Cookie. */
function optionKey(line: ConfigLine): { key: string; on: boolean } {
  const name = line.rest.toLowerCase();
  return name.startsWith('no') ? { key: name.slice(2), on: false } : { key: name, on: true };
}

/**
 * Groups directive lines into stanzas: a stanza runs from its Title to the next Title. AddUserHeader
 * and Option carry their state across stanzas (a bare `AddUserHeader` or `Option NoX` turns it off);
 * each stanza records the ones in effect when its URL is read, since EZproxy applies them to the
 * databases defined after them (a stanza without a URL defines none: nothing is in effect for it,
 * so a header written at its end is reported once, for the stanza it applies to).
 */
export function groupStanzas(lines: ReadonlyArray<ConfigLine>): GroupedConfig {
  const outside: ConfigLine[] = [];
  const stanzas: Stanza[] = [];
  let userHeader: ConfigLine | undefined;
  const options = new Map<string, ConfigLine>();
  let current: { title: ConfigLine; lines: ConfigLine[]; inEffect: ConfigLine[] | undefined } | undefined;
  const snapshot = (): ConfigLine[] => [...(userHeader ? [userHeader] : []), ...options.values()];
  const close = (): void => {
    if (current) stanzas.push({ title: current.title, lines: current.lines, inEffect: current.inEffect ?? [] });
  };
  for (const line of lines) {
    if (line.directive === 'Title') {
      // Positional lines just before a Title belong with the stanza they precede (OCLC's stanzas open with them).
      const preface: ConfigLine[] = [];
      const from = current ? current.lines : outside;
      while (opensNextStanza(from.at(-1))) preface.unshift(from.pop() as ConfigLine);
      close();
      current = { title: line, lines: preface, inEffect: undefined };
      continue;
    }
    if (current) {
      current.lines.push(line);
      if (line.directive === 'URL' && current.inEffect === undefined) current.inEffect = snapshot();
    } else outside.push(line);
    if (line.directive === 'AddUserHeader') userHeader = line.rest === '' ? undefined : line;
    if (line.directive === 'Option') {
      const { key, on } = optionKey(line);
      if (on) options.set(key, line);
      else options.delete(key);
    }
  }
  close();
  return { outside, stanzas };
}
