/** The SIP2 3-digit language codes (reference section 4.9). */

export const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  '000': 'unknown',
  '001': 'English',
  '002': 'French',
  '003': 'German',
  '004': 'Italian',
  '005': 'Dutch',
  '006': 'Swedish',
  '007': 'Finnish',
  '008': 'Spanish',
  '009': 'Danish',
  '010': 'Portuguese',
  '011': 'Canadian-French',
  '012': 'Norwegian',
  '013': 'Hebrew',
  '014': 'Japanese',
  '015': 'Russian',
  '016': 'Arabic',
  '017': 'Polish',
  '018': 'Greek',
  '019': 'Chinese',
  '020': 'Korean',
  '021': 'North American Spanish',
  '022': 'Tamil',
  '023': 'Malay',
  '024': 'United Kingdom',
  '025': 'Icelandic',
  '026': 'Belgian',
  '027': 'Taiwanese',
};

/** The language code meaning "unknown", the default. */
export const UNKNOWN_LANGUAGE = '000';

/** The SIP2 codes of the gateway's own languages (BCP 47 primary subtag). */
const CODE_OF_TAG: Readonly<Record<string, string>> = { en: '001', fr: '002', de: '003', it: '004', nl: '005', sv: '006', fi: '007', es: '008', da: '009', pt: '010', nb: '012', no: '012', he: '013', ja: '014', ru: '015', ar: '016', pl: '017', el: '018', zh: '019', ko: '020', ta: '022', ms: '023', is: '025' };

/** Whether `code` is one of the listed language codes. */
export function isLanguageCode(code: string): boolean {
  return Object.hasOwn(LANGUAGE_NAMES, code);
}

/** The SIP2 language code for a BCP 47 tag (`es`, `en-GB`), or `000` when there is none. */
export function languageCodeOf(tag: string): string {
  const primary = tag.toLowerCase().split('-')[0] ?? '';
  return Object.hasOwn(CODE_OF_TAG, primary) ? (CODE_OF_TAG[primary] as string) : UNKNOWN_LANGUAGE;
}

/** The gateway language (BCP 47) of a SIP2 language code, for the codes it has pages in; else undefined. */
export function languageTagOf(code: string): string | undefined {
  if (code === '001' || code === '024') return 'en';
  if (code === '008' || code === '021') return 'es';
  return undefined;
}
