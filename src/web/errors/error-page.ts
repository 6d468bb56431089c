import type { GatewayError } from '../../errors/gateway-error.ts';
import type { Messages } from '../messages/messages.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import type { PageBrand } from '../branding/page-brand.ts';

/**
 * A readable error page in the patron's language. It may name the vendor by its display name
 * (from the contract) and never shows a URL, a host or anything from the request. The minors
 * pages explain why and what a parent or guardian can do.
 */
export function renderErrorPage(m: Messages, error: GatewayError, vendorName?: string, brand?: PageBrand): string {
  const branded = brand ? { brand } : {};
  if (error.code === 'minor_blocked' || error.code === 'parental_consent_required') {
    const consent = error.code === 'parental_consent_required';
    const vendor = vendorName ?? '';
    if (error.ageUnknown) {
      return renderLayout({
        m,
        ...branded,
        title: m.patron.unknownAgeTitle,
        main: html`<h1>${m.patron.unknownAgeTitle}</h1>
<p>${m.patron.unknownAgeBlocked(vendor)}</p>
<ol>${m.patron.unknownAgeSteps.map((s) => html`<li>${s}</li>`)}</ol>
<p><a href="/">${m.errorBack}</a></p>`,
      });
    }
    return renderLayout({
      m,
      ...branded,
      title: consent ? m.minors.consentTitle : m.minors.blockedTitle,
      main: html`<h1>${consent ? m.minors.consentTitle : m.minors.blockedTitle}</h1>
<p>${consent ? m.minors.consent(vendor) : m.minors.blocked(vendor)}</p>
${consent ? html`<h2>${m.minors.parentsCan}</h2><ol>${m.minors.parentSteps.map((s) => html`<li>${s}</li>`)}</ol>` : ''}
<p><a href="/">${m.errorBack}</a></p>`,
    });
  }
  const text = m.errors[error.publicCode];
  return renderLayout({
    m,
    ...branded,
    title: text.title,
    main: html`<h1>${text.title}</h1>
${vendorName ? html`<p><strong>${vendorName}</strong></p>` : ''}
<p class="error" role="alert">${text.message}</p>
<p>${m.errorNothingSent} <a href="/">${m.errorBack}</a></p>
<p><small>${m.errorReference}: ${error.code}</small></p>`,
  });
}
