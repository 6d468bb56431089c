import * as z from 'zod';
import { secretSource } from './secret-source-schema.ts';
import { patronSsoSettingsSchema } from './sso-settings.ts';

/**
 * Field IDs a dialect may never name: secrets (the PIN, the terminal password, the SIP login),
 * the error-detection trailer, and the item lists of the 64, which are reading history.
 */
const FORBIDDEN_DIALECT_FIELDS = new Set(['AD', 'AC', 'CN', 'CO', 'AY', 'AZ', 'AS', 'AT', 'AU', 'AV', 'BU', 'CD']);

const fieldId = z
  .string()
  .regex(/^[A-Za-z0-9]{2}$/, 'write the two characters of a SIP2 field of the 64, such as XI, PB, PC or AQ')
  .refine((id) => !FORBIDDEN_DIALECT_FIELDS.has(id), { message: 'names a field that carries a secret or reading history (AD, AC, CN, CO, AY, AZ, AS, AT, AU, AV, BU, CD); name the field of the 64 that carries this value' });

/** A value sent inside a SIP2 field: one line, no field delimiter, at most 255 characters. */
const sip2Text = z
  .string()
  .max(255)
  .regex(/^[^|\r\n]*$/, 'write one line without |, CR or LF (they would break the SIP2 message)');

/**
 * The ILS as the patron source (issue 12): where it is, the gateway's own SIP login, and which
 * field of the 64 carries what (the "dialect", per ILS).
 */
export const sip2PatronSettingsSchema = z
  .strictObject({
    /** Host name or IP address of the ILS's SIP2 service (no scheme, no port). */
    host: z.string().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'write a host name or an IP address, without scheme or port (ils.library.example)'),
    port: z.number().int().min(1).max(65_535).default(6001),
    /** TLS to the ILS; `ca` trusts a private CA instead of the system's; `servername` is the name verified. */
    tls: z.boolean().default(false),
    ca: z.strictObject({ file: z.string().min(1) }).optional(),
    servername: z.string().min(1).max(253).optional(),
    /** The gateway's own 93 login (both or neither). */
    user: secretSource.optional(),
    password: secretSource.optional(),
    /** CP of the 93. */
    location: sip2Text.optional(),
    /** AO of every request. */
    institution: sip2Text,
    /** Per request, connecting and logging in included. */
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    /** Persistent connections at most. */
    pool: z.number().int().min(1).max(64).default(4),
    /**
     * A 99 SC Status on each pooled connection idle this long, so that a firewall or the ILS's own
     * idle timeout does not drop it (a connection that does not answer is replaced); 0 turns it off.
     */
    keepAliveMs: z.number().int().min(0).max(3_600_000).default(30_000),
    dialect: z
      .strictObject({
        /** How AE writes a name. */
        nameFormat: z.enum(['last, first', 'first last']).default('first last'),
        /** The field with the ILS's stable internal id (Evergreen: XI); default none, then the barcode (AA). */
        patronId: fieldId.optional(),
        birthDate: fieldId.optional(),
        patronType: fieldId.optional(),
        homeBranch: fieldId.optional(),
      })
      .default({ nameFormat: 'first last' }),
  })
  .superRefine((sip2, context) => {
    if ((sip2.user === undefined) !== (sip2.password === undefined)) {
      context.addIssue({ code: 'custom', path: [sip2.user === undefined ? 'user' : 'password'], message: "is missing: user and password go together; give both (the gateway's own SIP login), or neither if the ILS needs no login" });
    }
    if (sip2.keepAliveMs > 0 && sip2.keepAliveMs < 1000) {
      context.addIssue({ code: 'custom', path: ['keepAliveMs'], message: 'is too small: a status request more than once a second only loads the ILS; write at least 1000 (30000 is usual), or 0 to turn keep-alive off' });
    }
    if (!sip2.tls) {
      if (sip2.ca !== undefined) context.addIssue({ code: 'custom', path: ['ca'], message: 'is only used with tls: true; set tls: true or remove ca' });
      if (sip2.servername !== undefined) context.addIssue({ code: 'custom', path: ['servername'], message: 'is only used with tls: true; set tls: true or remove servername' });
    }
  });

export type Sip2PatronSettings = z.output<typeof sip2PatronSettingsSchema>;

/** `patrons`: the patron file (default), the ILS, or the library's single sign-on. */
export const patronSourceSchema = z
  .strictObject({
    /** `file` (default), `sip2` or `oidc`. */
    source: z.enum(['file', 'sip2', 'oidc']).default('file'),
    /** A YAML list of patrons (the embedded demo's source); required with source: file. */
    file: z.string().min(1).optional(),
    sip2: sip2PatronSettingsSchema.optional(),
    /** The library's OpenID Connect provider; required with source: oidc. */
    oidc: patronSsoSettingsSchema.optional(),
  })
  .superRefine((patrons, context) => {
    if (patrons.source === 'file' && patrons.file === undefined) {
      context.addIssue({ code: 'custom', path: ['file'], message: 'is required when patrons.source is file; name the patron file (file: patrons.yaml), or set source: sip2 with a sip2 section' });
    }
    if (patrons.source === 'sip2' && patrons.sip2 === undefined) {
      context.addIssue({ code: 'custom', path: ['sip2'], message: 'is required when patrons.source is sip2; add patrons.sip2 with at least host and institution (see the README, "SIP2")' });
    }
    if (patrons.source === 'oidc' && patrons.oidc === undefined) {
      context.addIssue({ code: 'custom', path: ['oidc'], message: 'is required when patrons.source is oidc; add patrons.oidc with name, issuer, clientId and clientSecret (see the README, "Single sign-on")' });
    }
  });
