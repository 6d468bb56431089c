import type { RequestOutcome } from './request-outcomes.ts';

/** What the catalogue says about one error code. */
export interface CatalogueEntry {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Whether the code's own message may be shown; false shows the `internal` message instead. */
  readonly expose: boolean;
  /** The `outcome` label of gateway_requests_total when a proxied request ends with this error. */
  readonly outcome: RequestOutcome;
  /** Headers the answer carries, whoever sends it. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Every error the gateway can answer with, keyed by a stable code (for API clients, metrics and
 * translations). The code is also the message key: each language's catalogue in web/messages
 * must translate every code (the compiler checks), so no public text lives here. Public messages
 * never contain URLs, hosts or patron data; details for operators go to the log as codes.
 */
export const ERROR_CATALOGUE = {
  bad_request: { status: 400, expose: true, outcome: 'bad_request' },
  malformed_json: { status: 400, expose: true, outcome: 'bad_request' },
  not_authenticated: { status: 401, expose: true, outcome: 'unauthenticated', headers: { 'WWW-Authenticate': 'Cookie realm="library"' } },
  // A SAML AuthnRequest that fails the identity provider's checks (unknown SP, wrong ACS, bad or
  // missing signature, replayed, stale, oversized, a DTD): nothing is sent to any service.
  saml_request_refused: { status: 400, expose: true, outcome: 'bad_request' },
  csrf_failed: { status: 403, expose: true, outcome: 'bad_request' },
  forbidden: { status: 403, expose: true, outcome: 'bad_request' },
  minor_blocked: { status: 403, expose: true, outcome: 'blocked_minor' },
  parental_consent_required: { status: 403, expose: true, outcome: 'blocked_minor' },
  patron_data_blocked: { status: 403, expose: true, outcome: 'blocked_patron_data' },
  unknown_vendor: { status: 404, expose: true, outcome: 'unknown_vendor' },
  not_found: { status: 404, expose: true, outcome: 'bad_request' },
  /** Browse mode: a hand-off ticket that is not for this vendor origin, expired, used already or forged. */
  browse_ticket_refused: { status: 403, expose: true, outcome: 'unauthenticated' },
  /** Browse mode: a first-party collection endpoint (analytics path or host) the contract or the shipped list blocks. */
  tracking_blocked: { status: 403, expose: true, outcome: 'bad_request' },
  // The rest of an oversized or refused body is not read: the connection closes instead.
  body_too_large: { status: 413, expose: true, outcome: 'bad_request', headers: { Connection: 'close' } },
  unsupported_body: { status: 415, expose: true, outcome: 'bad_request', headers: { Connection: 'close' } },
  // A body on a method that carries none (GET, HEAD, TRACE): refused unread, the connection closes.
  body_not_allowed: { status: 400, expose: true, outcome: 'bad_request', headers: { Connection: 'close' } },
  notice_required: { status: 428, expose: true, outcome: 'notice_required' },
  rate_limited: { status: 429, expose: true, outcome: 'bad_request', headers: { 'Retry-After': '60' } },
  internal: { status: 500, expose: false, outcome: 'internal_error' },
  upstream_unreachable: { status: 502, expose: true, outcome: 'upstream_error' },
  upstream_bad_response: { status: 502, expose: true, outcome: 'upstream_error' },
  vendor_closed: { status: 503, expose: true, outcome: 'vendor_closed' },
  not_ready: { status: 503, expose: true, outcome: 'internal_error', headers: { 'Retry-After': '5' } },
  // The library's ILS (the SIP2 patron source) is down, slow or answering nonsense: cards cannot be
  // checked. Never "wrong PIN", never another source.
  ils_unavailable: { status: 503, expose: true, outcome: 'upstream_error', headers: { 'Retry-After': '30' } },
  // The shared state (Redis) cannot be reached: sign-in and sign-out are refused (fail closed),
  // proxied requests of signed-in patrons go on.
  state_unavailable: { status: 503, expose: true, outcome: 'internal_error', headers: { 'Retry-After': '30' } },
  // Every console report slot (reports.maxConcurrent) is taken: refused, not queued; the upload is
  // not read, so the connection closes.
  reports_busy: { status: 503, expose: true, outcome: 'throttled', headers: { 'Retry-After': '30', Connection: 'close' } },
  // Sign-in at the library's single sign-on (patrons.source: oidc, admin.sso). The provider cannot
  // be reached, or answers with something that is not OAuth: a page saying so, never a crash.
  sso_unavailable: { status: 503, expose: true, outcome: 'upstream_error', headers: { 'Retry-After': '30' } },
  // The person declined (or the provider refused) at the provider: access_denied.
  sso_denied: { status: 403, expose: true, outcome: 'unauthenticated' },
  // The provider's answer did not verify (state, issuer, audience, nonce, signature, a used or bad code).
  sso_failed: { status: 400, expose: true, outcome: 'unauthenticated' },
  // No sign-in in progress in this browser: it took too long, was finished already, or began elsewhere.
  sso_expired: { status: 400, expose: true, outcome: 'unauthenticated' },
  upstream_timeout: { status: 504, expose: true, outcome: 'upstream_error' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Every code, for tables and tests. */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ReadonlyArray<ErrorCode>;

/** The catalogue entry of a code. */
export function describeError(code: ErrorCode): CatalogueEntry {
  return ERROR_CATALOGUE[code];
}
