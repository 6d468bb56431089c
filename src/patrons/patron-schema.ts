import * as z from 'zod';

const nonEmpty = z.string().trim().min(1);

/** One patron record as it appears in a patron file: the canonical fields plus `pinHash`. */
export const patronRecordSchema = z.strictObject({
  patronId: nonEmpty,
  barcode: nonEmpty.optional(),
  /** scrypt hash from `gateway hash-pin PIN`. Never released; never printed. */
  pinHash: z.string().regex(/^scrypt\$/, 'must be a hash from gateway hash-pin').optional(),
  firstName: nonEmpty.optional(),
  lastName: nonEmpty.optional(),
  email: z.string().regex(/^[^@\s]+@[^@\s]+$/, 'must be an email address').optional(),
  phone: nonEmpty.optional(),
  address: z
    .strictObject({
      street: nonEmpty.optional(),
      city: nonEmpty.optional(),
      state: nonEmpty.optional(),
      postalCode: nonEmpty.optional(),
    })
    .optional(),
  birthDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
    .optional(),
  patronType: nonEmpty.optional(),
  homeBranch: nonEmpty.optional(),
  language: nonEmpty.optional(),
  residencyVerified: z.boolean().optional(),
  consents: z.array(z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'consent names are lower-case words joined by hyphens')).optional(),
  parentalConsent: z.boolean().optional(),
});

export type PatronRecord = z.output<typeof patronRecordSchema>;
