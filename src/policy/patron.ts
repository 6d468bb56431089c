import type { CanonicalField } from './canonical-fields.ts';

/** A patron as the library knows it (canonical fields; see DESIGN.md). Only `patronId` is required. */
export interface Patron {
  readonly patronId: string;
  readonly barcode?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly address?: {
    readonly street?: string;
    readonly city?: string;
    readonly state?: string;
    readonly postalCode?: string;
  };
  /** YYYY-MM-DD */
  readonly birthDate?: string;
  readonly patronType?: string;
  readonly homeBranch?: string;
  readonly language?: string;
  readonly residencyVerified?: boolean;
  /** Named opt-ins, such as `share-email-with-vendors`. */
  readonly consents?: readonly string[];
  readonly parentalConsent?: boolean;
}

export type PatronValue = string | boolean | readonly string[];

/** Reads one canonical field of a patron; undefined when the patron does not have it. */
export function readPatronField(patron: Patron, field: CanonicalField): PatronValue | undefined {
  switch (field) {
    case 'address.street':
      return patron.address?.street;
    case 'address.city':
      return patron.address?.city;
    case 'address.state':
      return patron.address?.state;
    case 'address.postalCode':
      return patron.address?.postalCode;
    default:
      return patron[field];
  }
}
