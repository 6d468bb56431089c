import * as z from 'zod';

/**
 * Every language the gateway's pages are written in (src/web/messages has one catalogue for each;
 * a unit test keeps the two lists equal). Text a library writes for patrons (a contract's purpose,
 * a consent's label, the library's name) is given either as one string for every language or as
 * one string per shipped language.
 */
export const SHIPPED_LANGUAGES: ReadonlyArray<string> = Object.freeze(['en', 'es']);

/** One text for every language, or a text per language code (`{ en: ..., es: ... }`). */
export type LocalizedText = string | Readonly<Record<string, string>>;

/**
 * The shipped languages a per-language text has no (non-blank) entry for, and the codes it has
 * that the gateway does not ship. A plain string has neither.
 */
export function checkLocalizedText(text: LocalizedText, shipped: ReadonlyArray<string> = SHIPPED_LANGUAGES): { missing: string[]; unknown: string[] } {
  if (typeof text === 'string') return { missing: [], unknown: [] };
  const missing = shipped.filter((lang) => typeof text[lang] !== 'string' || (text[lang] as string).trim() === '');
  const unknown = Object.keys(text).filter((lang) => !shipped.includes(lang));
  return { missing, unknown };
}

/** The text in `lang`: that language's entry, else English, else the first one given. */
export function pickText(text: LocalizedText, lang: string): string {
  if (typeof text === 'string') return text;
  return text[lang] ?? text['en'] ?? Object.values(text)[0] ?? '';
}

/**
 * A LocalizedText in a settings or contract file: a non-empty string, or a mapping with a non-empty
 * text for every shipped language and no other key.
 */
export const localizedTextSchema = z.union([z.string().min(1), z.record(z.string(), z.string())]).superRefine((text, context) => {
  const { missing, unknown } = checkLocalizedText(text);
  for (const lang of missing) {
    context.addIssue({ code: 'custom', path: [lang], message: `has no ${lang} text, and the gateway shows its pages in ${SHIPPED_LANGUAGES.join(' and ')}; add ${lang}: with the text in that language, or write one plain text for every language` });
  }
  for (const lang of unknown) {
    context.addIssue({ code: 'custom', path: [lang], message: `"${lang}" is not a language the gateway ships; use ${SHIPPED_LANGUAGES.join(' or ')}` });
  }
});
