/** How a request to /v/{vendor}/ ended. A fixed set: metric labels never come from a request. */
export const REQUEST_OUTCOMES = [
  'proxied',
  'notice_required',
  'declined',
  'blocked_minor',
  'blocked_patron_data',
  'unauthenticated',
  'vendor_closed',
  'upstream_error',
  'unknown_vendor',
  'bad_request',
  'internal_error',
  /** SIP2: a message the mediator never forwards (01, circulation, fees), refused without touching the ILS. */
  'refused',
  /** SIP2: too many failed logins from one address, or wrong PINs for one card. */
  'throttled',
] as const;

export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];
