/** The named character references decoded before scanning: XML's five and those that spell parts of e-mails, numbers and dates. */
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', commat: '@', period: '.', plus: '+', hyphen: '-', dash: '-',
  lowbar: '_', sol: '/', colon: ':', num: '#', lpar: '(', rpar: ')', comma: ',',
};

const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));?/g;

/**
 * Text with HTML/XML character references undone (`&#52;`, `&#x34;`, `&commat;`...), as a
 * vendor's HTML or XML parser would read it; references it does not know are left as they are.
 * Never throws.
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
    const code = decimal !== undefined ? Number(decimal) : parseInt(hex as string, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
