/**
 * Three-digit ZIP code prefixes whose areas had fewer than 20,000 people (the HIPAA Safe Harbor
 * list, from the US Census). A vendor asking for `postalCode3` gets `000` for these, because the
 * prefix alone would narrow a patron down to a small town.
 */
export const RESTRICTED_ZIP3: ReadonlySet<string> = new Set([
  '036', '059', '063', '102', '203', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893',
]);
