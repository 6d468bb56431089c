import { describe, expect, it } from 'vitest';
import { checkLocalizedText, localizedTextSchema, pickText, SHIPPED_LANGUAGES } from '../../../src/lib/localized-text.ts';
import { CATALOGUES } from '../../../src/web/messages/choose-language.ts';

describe('localized text', () => {
  it('the shipped languages are exactly the message catalogues', () => {
    expect([...SHIPPED_LANGUAGES].sort()).toEqual([...CATALOGUES.keys()].sort());
  });

  it.each([
    ['a plain text is every language', 'Borrow e-books', 'es', 'Borrow e-books'],
    ['the patron’s language', { en: 'Borrow', es: 'Tomar prestado' }, 'es', 'Tomar prestado'],
    ['English for a language without its own text (even when it is not first)', { es: 'Tomar prestado', en: 'Borrow' }, 'fr', 'Borrow'],
    ['the first text when there is no English either', { es: 'Tomar prestado' }, 'fr', 'Tomar prestado'],
    ['nothing at all for an empty mapping', {}, 'en', ''],
  ])('pickText: %s', (_name, text, lang, expected) => {
    expect(pickText(text, lang)).toBe(expected);
  });

  it.each([
    ['a plain text needs nothing', 'Borrow', [], []],
    ['every shipped language given', { en: 'Borrow', es: 'Tomar prestado' }, [], []],
    ['Spanish missing', { en: 'Borrow' }, ['es'], []],
    ['Spanish blank counts as missing', { en: 'Borrow', es: '  ' }, ['es'], []],
    ['a language the gateway does not ship', { en: 'Borrow', es: 'Tomar', fr: 'Emprunter' }, [], ['fr']],
    ['both missing', {}, ['en', 'es'], []],
  ])('checkLocalizedText: %s', (_name, text, missing, unknown) => {
    expect(checkLocalizedText(text)).toEqual({ missing, unknown });
  });

  it('the schema says which language is missing, at its own path, and how to fix it', () => {
    const result = localizedTextSchema.safeParse({ en: 'Borrow' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['es', 'has no es text, and the gateway shows its pages in en and es; add es: with the text in that language, or write one plain text for every language']]);
    const unknown = localizedTextSchema.safeParse({ en: 'a', es: 'b', de: 'c' });
    expect(unknown.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['de', '"de" is not a language the gateway ships; use en or es']]);
    expect(localizedTextSchema.safeParse('').success).toBe(false);
    expect(localizedTextSchema.safeParse({ en: 'a', es: 'b' }).data).toEqual({ en: 'a', es: 'b' });
  });
});
