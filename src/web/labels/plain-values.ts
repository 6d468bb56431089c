import { pickText, type LocalizedText } from '../../lib/localized-text.ts';

/** The settings' labels (settings `labels`): code -> text, per kind of code. */
export interface ValueLabels {
  readonly patronTypes: Readonly<Record<string, LocalizedText>>;
  readonly branches: Readonly<Record<string, LocalizedText>>;
  readonly languages: Readonly<Record<string, LocalizedText>>;
  readonly consents: Readonly<Record<string, LocalizedText>>;
}

export const NO_LABELS: ValueLabels = Object.freeze({ patronTypes: {}, branches: {}, languages: {}, consents: {} });

/** The words plain values need, from the patron's message catalogue. */
export interface ValueWords {
  readonly lang: string;
  readonly yes: string;
  readonly no: string;
  /** What the patron reads instead of the library's internal account id. */
  readonly internalId: string;
  /** A list of consents when there is none. */
  readonly none: string;
}

/** A YYYY-MM-DD date (or a Date) in the patron's language: "12 April 1988", "12 de abril de 1988". Anything else as given. */
export function formatDate(value: string | Date, lang: string): string {
  const date = typeof value === 'string' ? parseDay(value) : value;
  if (date === undefined) return String(value);
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

function parseDay(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A language code in words: the settings' label, else its name in the patron's language (Intl), else the code. */
export function labelLanguage(code: string, labels: ValueLabels, lang: string): string {
  const label = labels.languages[code];
  if (label !== undefined) return pickText(label, lang);
  try {
    return new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * A consent's label: the contract's own, else the settings', else `fallback` (the contract's
 * description of what it releases, such as "your email address"), else the name.
 */
export function labelConsent(name: string, lang: string, sources: { readonly contract?: Readonly<Record<string, LocalizedText>>; readonly labels: ValueLabels; readonly fallback?: string }): string {
  const label = sources.contract?.[name] ?? sources.labels.consents[name];
  if (label !== undefined) return pickText(label, lang);
  return sources.fallback !== undefined && sources.fallback !== '' ? sources.fallback : name;
}

/**
 * A patron's own value of one canonical field in words: yes/no for booleans, labels for patron
 * types, branches, languages and consents, dates in the patron's language, the internal account
 * id never shown as such.
 */
export function describePatronValue(field: string, value: unknown, words: ValueWords, labels: ValueLabels): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (Array.isArray(value)) {
    if (value.length === 0) return words.none;
    const items = value.map((item) => (field === 'consents' ? labelConsent(String(item), words.lang, { labels }) : String(item)));
    return new Intl.ListFormat(words.lang, { type: 'conjunction' }).format(items);
  }
  const text = String(value);
  switch (field) {
    case 'patronId':
      return words.internalId;
    case 'birthDate':
      return formatDate(text, words.lang);
    case 'patronType':
      return pickLabel(labels.patronTypes, text, words.lang);
    case 'homeBranch':
      return pickLabel(labels.branches, text, words.lang);
    case 'language':
      return labelLanguage(text, labels, words.lang);
    default:
      return text;
  }
}

function pickLabel(table: Readonly<Record<string, LocalizedText>>, code: string, lang: string): string {
  const label = Object.hasOwn(table, code) ? table[code] : undefined;
  return label === undefined ? code : pickText(label, lang);
}

/**
 * A value in a vendor's view in words: a passed field as the patron's own value would read
 * (labels, yes/no), a generalized yes/no answer as yes/no, anything else (an age group, a ZIP
 * prefix, a pseudonym) as it is sent.
 */
export function describeViewValue(field: string, kind: 'pseudonym' | 'generalized' | 'passed', value: unknown, words: ValueWords, labels: ValueLabels): string {
  if (kind === 'passed') return field === 'patronId' ? String(value) : describePatronValue(field, value, words, labels);
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  return Array.isArray(value) ? value.join(', ') : String(value);
}
