import type { GatewayError } from '../errors/gateway-error.ts';
import { html } from './html.ts';
import { renderLayout } from './layout.ts';

const TITLES: Partial<Record<GatewayError['code'], string>> = {
  upstream_unreachable: 'The service is not answering',
  upstream_timeout: 'The service took too long',
  upstream_bad_response: 'The service sent something we could not use',
  vendor_closed: 'This service is not available',
  unknown_vendor: 'There is no such service',
  patron_data_blocked: 'Your details were not sent',
  minor_blocked: 'This service is not available to you',
  parental_consent_required: 'A parent or guardian needs to agree first',
  rate_limited: 'Too many attempts',
  body_too_large: 'That was too large to send',
};

/**
 * A readable error page. It may name the vendor by its display name (from the contract) and
 * never shows a URL, a host or anything from the request.
 */
export function renderErrorPage(error: GatewayError, vendorName?: string): string {
  const title = TITLES[error.code] ?? (error.status >= 500 ? 'Something went wrong' : 'We could not do that');
  const message = error.expose ? error.message : 'Something went wrong on our side. Please try again later.';
  return renderLayout({
    title,
    main: html`<h1>${title}</h1>
${vendorName ? html`<p><strong>${vendorName}</strong></p>` : ''}
<p class="error" role="alert">${message}</p>
<p>Nothing about you was sent. <a href="/">Back to library services</a></p>
<p><small>Reference: ${error.code}</small></p>`,
  });
}
