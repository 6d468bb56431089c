/**
 * The gateway's own headers on every answer from a vendor origin, beside (never instead of) the
 * vendor's Content-Security-Policy: the browser applies both, so the vendor's policy can only
 * narrow what the gateway's allows.
 */

/** Vendor response headers that reach the browser on a vendor origin besides policy/response-headers.ts's list: each is rewritten onto proxied origins first. */
export const BROWSE_REWRITTEN_HEADERS: ReadonlyArray<string> = Object.freeze(['content-location', 'access-control-allow-origin', 'access-control-allow-credentials', 'access-control-allow-methods', 'access-control-allow-headers', 'access-control-expose-headers', 'access-control-max-age', 'link', 'refresh', 'last-modified']);

/** Every powerful feature off: a vendor page needs none of them (a contract that does may be given an allowance later). */
export const BROWSE_PERMISSIONS_POLICY = [
  'accelerometer', 'ambient-light-sensor', 'autoplay', 'bluetooth', 'browsing-topics', 'camera', 'display-capture', 'encrypted-media', 'gamepad', 'geolocation', 'gyroscope', 'hid', 'identity-credentials-get', 'idle-detection', 'interest-cohort', 'local-fonts', 'magnetometer', 'microphone', 'midi', 'otp-credentials', 'payment', 'picture-in-picture', 'publickey-credentials-create', 'publickey-credentials-get', 'screen-wake-lock', 'serial', 'storage-access', 'usb', 'window-management', 'xr-spatial-tracking', 'attribution-reporting', 'run-ad-auction', 'join-ad-interest-group', 'private-state-token-issuance', 'private-state-token-redemption', 'shared-storage', 'shared-storage-select-url',
].map((feature) => `${feature}=()`).join(', ');

/**
 * The egress policy: every fetch directive limited to the vendor's own proxied origins (with data:
 * and blob: where pages build images, fonts and media in memory), forms and <base> too, and the
 * page framed only by its own vendor's origins. Inline script and eval stay the vendor's own
 * policy's business: they cannot reach another host when connect-src, img-src and the rest cannot.
 */
export function buildBrowseCsp(origins: ReadonlyArray<string>): string {
  const own = origins.join(' ');
  return [
    "default-src 'none'",
    `script-src ${own} 'unsafe-inline' 'unsafe-eval'`,
    `style-src ${own} 'unsafe-inline'`,
    `img-src ${own} data: blob:`,
    `font-src ${own} data:`,
    `media-src ${own} data: blob:`,
    `connect-src ${own}`,
    `frame-src ${own}`,
    `child-src ${own}`,
    `worker-src ${own} blob:`,
    `manifest-src ${own}`,
    "object-src 'none'",
    `form-action ${own}`,
    `base-uri ${own}`,
    `frame-ancestors ${own}`,
  ].join('; ');
}

/** The gateway's fixed privacy headers on a vendor origin. */
export const BROWSE_FIXED_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'referrer-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'permissions-policy': BROWSE_PERMISSIONS_POLICY,
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'cross-origin-opener-policy': 'same-origin',
});
