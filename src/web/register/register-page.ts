import type { Messages } from '../messages/messages.ts';
import { describeRelease } from '../describe-release.ts';
import type { RegisterEntry } from '../../notices/register-entries.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';

/** The public register of every vendor: what each receives, how, and under which contract. */
export function renderRegisterPage(options: { m: Messages; entries: ReadonlyArray<RegisterEntry>; signedIn: boolean; csrf: string }): string {
  const { m } = options;
  return renderLayout({
    m,
    title: m.register.title,
    path: '/privacy/vendors',
    signedIn: options.signedIn,
    csrf: options.csrf,
    main: html`<h1>${m.register.title}</h1>
<p>${m.register.intro} <a href="/privacy/vendors.json">JSON</a></p>
${options.entries.map(
  (e) => html`<section class="card" aria-labelledby="vendor-${e.id}" data-vendor="${e.id}">
<h2 id="vendor-${e.id}">${e.name}</h2>
<p>${e.purpose}</p>
<h3>${m.register.receives}</h3>
${e.receives.length === 0 || e.delivery === 'none' ? html`<p>${m.register.nothing}</p>` : html`<ul>${e.receives.map((r) => html`<li data-field="${r.field}">${describeRelease(m, r)}${r.consent ? html` (${m.register.onlyWithConsent(r.consent)})` : ''}${r.claim ? html`, <span data-claim="${r.claim}">${m.register.inToken(r.claim)}</span>` : ''}</li>`)}</ul>`}
<p><strong>${m.register.how}:</strong> ${m.notice.delivery[e.delivery as 'none']}</p>
<p><strong>${m.register.under13}:</strong> ${m.register.minors[e.minors.under13 as 'block']}${e.minors.under18 ? html`. <strong>${m.register.under18}:</strong> ${m.register.minors[e.minors.under18 as 'block']}` : ''}</p>
<p><strong>${m.register.contract}:</strong> ${e.contract.reference}, ${e.inForce ? m.register.inForce(e.contract.effective, e.contract.expires) : m.register.closed}${e.contract.reviewed ? html`, ${m.register.reviewed(e.contract.reviewed)}` : ''}${e.contract.privacyPolicy ? html`. <a href="${e.contract.privacyPolicy}" rel="noreferrer noopener">${m.notice.privacyPolicy(e.name)}</a>` : ''}</p>
</section>`,
)}`,
  });
}
