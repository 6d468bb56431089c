import type { Messages } from '../messages/messages.ts';
import { describeRelease } from '../describe-release.ts';
import type { RegisterEntry } from '../../notices/register-entries.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import { pickText, type LocalizedText } from '../../lib/localized-text.ts';
import { NO_BRAND, type PageBrand } from '../branding/page-brand.ts';
import { formatDate, labelConsent } from '../labels/plain-values.ts';

/** The public register of every vendor: what each receives, how, and under which contract. */
export function renderRegisterPage(options: { m: Messages; entries: ReadonlyArray<RegisterEntry>; signedIn: boolean; csrf: string; brand?: PageBrand; texts?: ReadonlyMap<string, { readonly purpose: LocalizedText; readonly consents: Readonly<Record<string, LocalizedText>> }> }): string {
  const { m } = options;
  const brand = options.brand ?? NO_BRAND;
  const day = (d: string) => formatDate(d, m.lang);
  return renderLayout({
    m,
    title: m.register.title,
    path: '/privacy/vendors',
    signedIn: options.signedIn,
    csrf: options.csrf,
    brand,
    main: html`<h1>${m.register.title}</h1>
<p>${m.register.intro} <a href="/privacy/vendors.json">JSON</a></p>
${options.entries.map(
  (e) => html`<section class="card" aria-labelledby="vendor-${e.id}" data-vendor="${e.id}">
<h2 id="vendor-${e.id}">${e.name}</h2>
<p>${pickText(options.texts?.get(e.id)?.purpose ?? e.purpose, m.lang)}</p>
<h3>${m.register.receives}</h3>
${e.receives.length === 0 || e.delivery === 'none' ? html`<p>${m.register.nothing}</p>` : html`<ul>${e.receives.map((r) => html`<li data-field="${r.field}">${describeRelease(m, r)}${r.consent ? html` (${m.register.onlyWithConsent(labelConsent(r.consent, m.lang, { contract: options.texts?.get(e.id)?.consents ?? {}, labels: brand.labels, fallback: describeRelease(m, r) }))})` : ''}${r.claim ? html`, <span data-claim="${r.claim}">${m.register.inToken(r.claim)}</span>` : ''}</li>`)}</ul>`}
<p><strong>${m.register.how}:</strong> ${m.notice.delivery[e.delivery as 'none']}</p>
<p><strong>${m.register.under13}:</strong> ${m.register.minors[e.minors.under13 as 'block']}${e.minors.under18 ? html`. <strong>${m.register.under18}:</strong> ${m.register.minors[e.minors.under18 as 'block']}` : ''}</p>
<p data-effective="${e.contract.effective}" data-expires="${e.contract.expires}"${e.contract.reviewed ? html` data-reviewed="${e.contract.reviewed}"` : ''}><strong>${m.register.contract}:</strong> ${e.contract.reference}, ${e.inForce ? m.register.inForce(day(e.contract.effective), day(e.contract.expires)) : m.register.closed}${e.contract.reviewed ? html`, ${m.register.reviewed(day(e.contract.reviewed))}` : ''}${e.contract.privacyPolicy ? html`. <a href="${e.contract.privacyPolicy}" rel="noreferrer noopener">${m.notice.privacyPolicy(e.name)}</a>` : ''}</p>
</section>`,
)}`,
  });
}
