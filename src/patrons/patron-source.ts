import type { Patron } from '../policy/patron.ts';

/**
 * Where patron records come from: a file for the embedded demo; later the ILS over SIP2 or the
 * library's SSO. Implementations never log or echo a patron value.
 */
export interface PatronSource {
  /** The patron with this internal id (sessions carry only the id). */
  findById(patronId: string): Promise<Patron | undefined>;
  findByBarcode(barcode: string): Promise<Patron | undefined>;
  /** The patron if the barcode exists and the PIN matches; undefined otherwise, in the same time either way. */
  authenticate(barcode: string, pin: string): Promise<Patron | undefined>;
}
