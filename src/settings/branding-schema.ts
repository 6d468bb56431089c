import * as z from 'zod';
import { localizedTextSchema } from '../lib/localized-text.ts';

const hexColour = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'write a colour as #rrggbb (or #rgb), such as #0b4fa8');

/** The colours of the patron pages, as the defaults below unless set. Every pair a patron reads is checked against WCAG AA (4.5:1) at startup. */
export const COLOUR_DEFAULTS = Object.freeze({
  text: '#1a1a1a',
  background: '#ffffff',
  accent: '#0b4fa8',
  accentText: '#ffffff',
  header: '#0b4fa8',
  headerText: '#ffffff',
});

/**
 * The library's branding on every patron page (the sign-in page above all: a PIN asked for on a
 * page without the library's name trains patrons for phishing). Required with NODE_ENV=production.
 */
export const brandingSchema = z.strictObject({
  /** The library's name, shown at the top of every patron page and in every page title. */
  libraryName: localizedTextSchema,
  /** The library's own website, linked from every page. */
  website: z.url({ protocol: /^https?$/ }),
  /** How patrons reach the library: a phone number, an email address, and/or a contact page. At least one. */
  contact: z
    .strictObject({
      phone: z.string().regex(/^[0-9+() .-]{3,40}$/, 'write a phone number with digits, spaces, +, (), dots and hyphens, such as (203) 555-0100').optional(),
      email: z.email().optional(),
      url: z.url({ protocol: /^https?$/ }).optional(),
    })
    .refine((contact) => contact.phone !== undefined || contact.email !== undefined || contact.url !== undefined, { message: 'names no way to reach the library; add phone, email or url' }),
  /** The library's "forgot your PIN?" page, linked from the sign-in form. */
  forgotPin: z.url({ protocol: /^https?$/ }),
  /** The library's privacy policy, linked from every page. */
  privacyPolicy: z.url({ protocol: /^https?$/ }).optional(),
  /** The logo beside the library's name: an .svg or .png file (at most 256 KiB), relative to the settings file. Served at /branding/logo. */
  logo: z.string().min(1).optional(),
  /** The favicon: an .svg, .png or .ico file (at most 256 KiB), relative to the settings file. Served at /branding/favicon. */
  favicon: z.string().min(1).optional(),
  /** Colours as #rrggbb: text on background, accent (links, buttons) on background, accentText on accent, headerText on header. */
  colours: z
    .strictObject({
      text: hexColour.default(COLOUR_DEFAULTS.text),
      background: hexColour.default(COLOUR_DEFAULTS.background),
      accent: hexColour.default(COLOUR_DEFAULTS.accent),
      accentText: hexColour.default(COLOUR_DEFAULTS.accentText),
      header: hexColour.default(COLOUR_DEFAULTS.header),
      headerText: hexColour.default(COLOUR_DEFAULTS.headerText),
    })
    .default({ ...COLOUR_DEFAULTS }),
});

/** Plain words for the codes in patron records, in every shipped language: `adult` -> "Adult", `main` -> "Main Library". */
export const labelsSchema = z.strictObject({
  /** patronType code -> label. */
  patronTypes: z.record(z.string(), localizedTextSchema).default({}),
  /** homeBranch code -> label. */
  branches: z.record(z.string(), localizedTextSchema).default({}),
  /** language code -> label (default: the language's own name from the browser's Intl data). */
  languages: z.record(z.string(), localizedTextSchema).default({}),
  /** consent name (share-email-with-vendors) -> label; a contract's own `consents` label comes first. */
  consents: z.record(z.string(), localizedTextSchema).default({}),
});

export type BrandingDocument = z.output<typeof brandingSchema>;
export type BrandColours = BrandingDocument['colours'];
export type LabelsDocument = z.output<typeof labelsSchema>;
