import { describeError, type ErrorCode } from './error-catalogue.ts';
import type { RequestOutcome } from './request-outcomes.ts';

export interface GatewayErrorOptions {
  /** For operators' logs only: never shown, never holding patron values. */
  readonly detail?: string;
  readonly cause?: unknown;
  /** The vendor's display name (from its contract), when the page should name it. */
  readonly vendorName?: string;
  /** A relative path a browser navigating with GET is sent to instead (303): sign-in, a notice. */
  readonly redirectTo?: string;
  /** notice_required only: the notice's relative path, for API clients. */
  readonly notice?: string;
  /** minor_blocked, parental_consent_required: the library has no date of birth for the patron (the page says so instead of "your age"). */
  readonly ageUnknown?: boolean;
}

/**
 * The one error class. `code` is stable; `status`, `expose`, `outcome` and `headers` come from the
 * catalogue, never from the place that throws; the public message comes from the message
 * catalogue in the patron's language.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly outcome: RequestOutcome;
  readonly headers: Readonly<Record<string, string>>;
  readonly detail: string | undefined;
  readonly vendorName: string | undefined;
  readonly redirectTo: string | undefined;
  readonly notice: string | undefined;
  readonly ageUnknown: boolean;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    super(code, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = describeError(code);
    this.name = 'GatewayError';
    this.code = code;
    this.status = entry.status;
    this.expose = entry.expose;
    this.outcome = entry.outcome;
    this.headers = entry.headers ?? {};
    this.detail = options.detail;
    this.vendorName = options.vendorName;
    this.redirectTo = options.redirectTo;
    this.notice = options.notice;
    this.ageUnknown = options.ageUnknown === true;
  }

  /** The code clients see: an unexposed error shows as `internal`. */
  get publicCode(): ErrorCode {
    return this.expose ? this.code : 'internal';
  }
}

/** Any thrown value as a GatewayError (unknown errors become `internal`, their details kept out of the response). */
export function toGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : new GatewayError('internal', { cause: error });
}
