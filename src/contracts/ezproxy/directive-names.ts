/**
 * EZproxy directive names: case-insensitive, with OCLC's short forms (T, U, H, HJ, D, DJ). Every
 * name is folded to one canonical spelling so the rest of the importer compares canonical names.
 */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  t: 'Title',
  u: 'URL',
  h: 'Host',
  hj: 'HostJavaScript',
  d: 'Domain',
  dj: 'DomainJavaScript',
};

const KNOWN = [
  'Title', 'URL', 'Host', 'HostJavaScript', 'Domain', 'DomainJavaScript', 'Find', 'Replace', 'NeverProxy',
  'AnonymousURL', 'HTTPHeader', 'HTTPMethod', 'Option', 'IncludeFile', 'AddUserHeader', 'FormVariable',
  'FormSelect', 'FormSubmit', 'Identifier', 'RedirectSafe', 'ProxyHostnameEdit', 'MimeFilter', 'Cookie',
  'Description', 'EBLSecret', 'ByteServe', 'Referer', 'BooksAt', 'Group', 'ExcludeIP', 'IncludeIP', 'AutoLoginIP',
] as const;

const BY_LOWER: ReadonlyMap<string, string> = new Map(KNOWN.map((name) => [name.toLowerCase(), name]));

/** The canonical name of a directive as written (`hj` -> HostJavaScript), or undefined when EZproxy has no such directive we know. */
export function canonicalDirective(written: string): string | undefined {
  const lower = written.toLowerCase();
  return SHORT_FORMS[lower] ?? BY_LOWER.get(lower);
}
