import { describe, expect, it } from 'vitest';
import { describePatronValue, describeViewValue, formatDate, labelConsent, labelLanguage, NO_LABELS, type ValueLabels } from '../../../../src/web/labels/plain-values.ts';
import { en } from '../../../../src/web/messages/en.ts';
import { es } from '../../../../src/web/messages/es.ts';

const LABELS: ValueLabels = {
  patronTypes: { adult: { en: 'Adult', es: 'Adulto' }, staff: 'Library staff' },
  branches: { main: { en: 'Main Library', es: 'Biblioteca Central' } },
  languages: { es: { en: 'Spanish (Latin America)', es: 'Español (Latinoamérica)' } },
  consents: { 'share-email-with-vendors': { en: 'Share my email', es: 'Compartir mi correo' } },
};
const EN = { lang: 'en', ...en.values };
const ES = { lang: 'es', ...es.values };

describe('plain values: what a patron reads instead of a code', () => {
  it.each([
    ['the internal account id is never shown as such', 'patronId', 'p-0001', EN, 'an internal number the library uses'],
    ['true is yes', 'residencyVerified', true, EN, 'yes'],
    ['false is no', 'parentalConsent', false, EN, 'no'],
    ['yes in Spanish', 'residencyVerified', true, ES, 'sí'],
    ['a patron type through its label', 'patronType', 'adult', EN, 'Adult'],
    ['a patron type in Spanish', 'patronType', 'adult', ES, 'Adulto'],
    ['a plain label is every language', 'patronType', 'staff', ES, 'Library staff'],
    ['an unlabelled patron type as the library wrote it', 'patronType', 'vip', EN, 'vip'],
    ['a label for a name an object has (toString) is not taken from the prototype', 'patronType', 'toString', EN, 'toString'],
    ['a branch through its label', 'homeBranch', 'main', ES, 'Biblioteca Central'],
    ['an unlabelled branch as written', 'homeBranch', 'annex', EN, 'annex'],
    ['a language through the settings', 'language', 'es', EN, 'Spanish (Latin America)'],
    ['a language without a label by its name (Intl)', 'language', 'en', EN, 'English'],
    ['a language named in the patron’s language (Intl)', 'language', 'en', ES, 'inglés'],
    ['a date of birth in the patron’s language', 'birthDate', '1988-04-12', EN, 'April 12, 1988'],
    ['a date of birth in Spanish', 'birthDate', '1988-04-12', ES, '12 de abril de 1988'],
    ['a date that is not a date, as written', 'birthDate', '1988-13-45', EN, '1988-13-45'],
    ['consents through their labels', 'consents', ['share-email-with-vendors'], ES, 'Compartir mi correo'],
    ['several consents as a list in the patron’s language', 'consents', ['share-email-with-vendors', 'newsletter'], EN, 'Share my email and newsletter'],
    ['no consents is none', 'consents', [], EN, 'none'],
    ['a list of other values as a list', 'address.street', ['a', 'b'], ES, 'a y b'],
    ['other text as it is', 'email', 'ada@example.org', EN, 'ada@example.org'],
    ['nothing on file is empty', 'email', undefined, EN, ''],
    ['null is nothing on file too', 'email', null, EN, ''],
    ['a list that is not consents is never read as consent names', 'address.street', ['share-email-with-vendors'], EN, 'share-email-with-vendors'],
  ])('%s', (_name, field, value, words, expected) => {
    expect(describePatronValue(field, value, words, LABELS)).toBe(expected);
  });

  it.each([
    ['a generalized yes/no answer is yes or no', 'birthDate', 'generalized', true, EN, 'yes'],
    ['and no', 'birthDate', 'generalized', false, ES, 'no'],
    ['an age group as sent', 'birthDate', 'generalized', '18-64', EN, '18-64'],
    ['a pseudonym as sent', 'patronId', 'pseudonym', 'abc234', EN, 'abc234'],
    ['a passed patron type through its label', 'patronType', 'passed', 'adult', ES, 'Adulto'],
    ['a passed boolean as yes', 'residencyVerified', 'passed', true, EN, 'yes'],
    ['a passed account id is what the service really gets', 'patronId', 'passed', 'p-0001', EN, 'p-0001'],
    ['a generalized list joined', 'consents', 'generalized', ['a', 'b'], EN, 'a, b'],
  ] as const)('view: %s', (_name, field, kind, value, words, expected) => {
    expect(describeViewValue(field, kind, value, words, LABELS)).toBe(expected);
  });

  it.each([
    ['the contract’s own label first', { contract: { x: { en: 'Contract words', es: 'Palabras del contrato' } }, labels: { ...NO_LABELS, consents: { x: 'Settings words' } }, fallback: 'your email' }, 'es', 'Palabras del contrato'],
    ['then the settings’ label', { contract: {}, labels: { ...NO_LABELS, consents: { x: 'Settings words' } }, fallback: 'your email' }, 'en', 'Settings words'],
    ['then what it releases', { labels: NO_LABELS, fallback: 'your email' }, 'en', 'your email'],
    ['the name only when nothing else is known', { labels: NO_LABELS, fallback: '' }, 'en', 'x'],
    ['the name without a fallback', { labels: NO_LABELS }, 'en', 'x'],
  ])('a consent: %s', (_name, sources, lang, expected) => {
    expect(labelConsent('x', lang, sources)).toBe(expected);
  });

  it('a language code Intl cannot name stays the code; a malformed one does not throw', () => {
    expect(labelLanguage('qq', NO_LABELS, 'en')).toBe('qq');
    expect(labelLanguage('not a code!', NO_LABELS, 'en')).toBe('not a code!');
  });

  it('a date from the clock is formatted on the UTC calendar, whatever the machine’s zone', () => {
    expect(formatDate(new Date('2026-11-29T23:30:00Z'), 'en')).toBe('November 29, 2026');
    expect(formatDate(new Date('2026-11-29T00:30:00Z'), 'es')).toBe('29 de noviembre de 2026');
    expect(formatDate('29/11/2026', 'en')).toBe('29/11/2026');
  });
});
