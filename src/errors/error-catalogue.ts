/**
 * Every error the gateway can show, with a stable code (for API clients and translations), its
 * HTTP status, whether its message is safe to show (`expose`), and the public message. Public
 * messages never contain URLs, hosts or patron data; details for operators go to the log as codes.
 */
export const ERROR_CATALOGUE = {
  bad_request: { status: 400, expose: true, message: 'The request could not be understood.' },
  malformed_json: { status: 400, expose: true, message: 'The request body is not valid JSON.' },
  not_authenticated: { status: 401, expose: true, message: 'Please sign in with your library card.' },
  csrf_failed: { status: 403, expose: true, message: 'This form has expired. Please go back and try again.' },
  forbidden: { status: 403, expose: true, message: 'You do not have access to this page.' },
  minor_blocked: { status: 403, expose: true, message: 'This service is not available to patrons under the age its contract allows.' },
  parental_consent_required: { status: 403, expose: true, message: 'A parent or guardian needs to give consent before you can use this service.' },
  patron_data_blocked: { status: 403, expose: true, message: 'This request contained your personal details, so it was not sent to the service.' },
  unknown_vendor: { status: 404, expose: true, message: 'There is no such service.' },
  not_found: { status: 404, expose: true, message: 'Page not found.' },
  body_too_large: { status: 413, expose: true, message: 'The request is too large.' },
  unsupported_body: { status: 415, expose: true, message: 'This service does not accept that kind of upload.' },
  notice_required: { status: 428, expose: true, message: 'Please read and accept the notice for this service first.' },
  rate_limited: { status: 429, expose: true, message: 'Too many attempts. Please wait a moment and try again.' },
  internal: { status: 500, expose: false, message: 'Something went wrong on our side.' },
  upstream_unreachable: { status: 502, expose: true, message: 'The service could not be reached. Please try again later.' },
  upstream_bad_response: { status: 502, expose: true, message: 'The service sent a response that could not be used.' },
  vendor_closed: { status: 503, expose: true, message: 'This service is not available: the library’s agreement with it is not in force.' },
  not_ready: { status: 503, expose: true, message: 'The gateway is starting up.' },
  upstream_timeout: { status: 504, expose: true, message: 'The service took too long to answer. Please try again later.' },
} as const satisfies Record<string, { status: number; expose: boolean; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
