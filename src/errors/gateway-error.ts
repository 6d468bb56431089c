import { ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.ts';

/**
 * The one error class. `code` is stable; `status` and `expose` come from the catalogue; `detail`
 * is for operators (never shown to patrons, and never holding patron values).
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: string | undefined;
  /** The vendor's display name (from its contract), when the page should name it. */
  readonly vendorName: string | undefined;

  constructor(code: ErrorCode, options: { detail?: string; cause?: unknown; vendorName?: string } = {}) {
    super(ERROR_CATALOGUE[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.expose = ERROR_CATALOGUE[code].expose;
    this.detail = options.detail;
    this.vendorName = options.vendorName;
  }

  /** The body shown to clients: code and a catalogue message, nothing from the request. */
  toPublicBody(): { error: ErrorCode; message: string } {
    return { error: this.code, message: this.expose ? this.message : ERROR_CATALOGUE.internal.message };
  }
}
