import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Messages } from '../messages/messages.ts';
import { describeRelease, formatViewValue } from '../describe-release.ts';
import type { NoticeFacts } from '../../minimize/notice-facts.ts';
import { html } from '../../lib/html.ts';
import { pickText } from '../../lib/localized-text.ts';
import { renderLayout } from '../layout.ts';
import { NO_BRAND, type PageBrand } from '../branding/page-brand.ts';
import { describeViewValue, formatDate } from '../labels/plain-values.ts';

/** Who the notice is written for: an adult, a child under 13, or a patron whose date of birth the library does not have (treated as a child). */
export type NoticeAudience = 'adult' | 'child' | 'unknown-age';

export interface NoticePageOptions {
  readonly m: Messages;
  readonly contract: CompiledContract;
  readonly facts: NoticeFacts;
  readonly next: string;
  readonly back: string;
  readonly csrf: string;
  /** Consents to show ticked (the patron's earlier choice for this same notice version). */
  readonly ticked: ReadonlyArray<string>;
  readonly audience?: NoticeAudience;
  readonly brand?: PageBrand;
}

/**
 * The third-party notice. Every fact on it comes from the minimizer's output for this patron;
 * each released item also carries data attributes (field, name, value) so tests can check the
 * page against what the vendor really receives. Continue stays near the top: what the vendor
 * will not receive is behind a disclosure. Children (and patrons without a date of birth) get
 * simpler words, and no optional sharing: that needs a parent or guardian.
 */
export function renderNoticePage(options: NoticePageOptions): string {
  const { m, contract, facts } = options;
  const brand = options.brand ?? NO_BRAND;
  const audience = options.audience ?? 'adult';
  const words = { lang: m.lang, ...m.values };
  const name = contract.name;
  const c = contract.contract;
  const identified = facts.access === 'identified' && facts.receives.length > 0;
  const received = !identified
    ? html`<p data-receives="nothing">${facts.access === 'anonymous' ? m.notice.anonymousMinor(name) : m.notice.receivesNothing(name)}</p>`
    : html`<ul>${facts.receives.map((f) => html`<li data-field="${f.field}" data-as="${f.as}" data-value="${formatViewValue(f.value)}">${describeRelease(m, f)}: <strong class="value">${describeViewValue(f.field, f.kind, f.value, words, brand.labels)}</strong></li>`)}</ul>
${facts.receives.some((f) => f.kind === 'pseudonym') ? html`<p class="note">${m.patron.pseudonymMeans(name)}</p>` : ''}`;
  const hasOptional = facts.access === 'identified' && facts.optional.length > 0;
  const optional = !hasOptional
    ? ''
    : audience !== 'adult'
      ? html`<p data-optional="needs-parent">${audience === 'child' ? m.patron.childOptional : m.patron.unknownAgeOptional}</p>`
      : html`<fieldset><legend><h2>${m.notice.optional}</h2></legend><p id="optional-help">${m.notice.optionalHelp}</p>${facts.optional.map(
          (f, i) => html`<label class="check" for="consent-${i}"><input type="checkbox" id="consent-${i}" name="consent" value="${f.consent}" aria-describedby="optional-help" data-field="${f.field}" data-as="${f.as}" data-value="${formatViewValue(f.value)}"${options.ticked.includes(f.consent) ? html` checked` : ''}> <span>${m.notice.alsoShare(describeRelease(m, f))}: <strong class="value">${describeViewValue(f.field, f.kind, f.value, words, brand.labels)}</strong></span></label>`,
        )}</fieldset>`;
  const notReceived = facts.notReceived.length > 0
    ? html`<details><summary>${m.patron.notReceivedSummary(facts.notReceived.length)}</summary><ul>${facts.notReceived.map((f) => html`<li data-withheld="${f}">${m.fields[f] ?? f}</li>`)}</ul></details>`
    : '';
  return renderLayout({
    m,
    title: m.notice.title(name),
    path: `/notices/${contract.id}?next=${encodeURIComponent(options.next)}`,
    signedIn: true,
    csrf: options.csrf,
    brand,
    main: html`<h1>${m.notice.title(name)}</h1>
<p>${audience === 'child' && identified ? m.patron.childIntro(name) : m.notice.intro(name)}</p>
<p><strong>${m.notice.purpose}:</strong> ${pickText(contract.purposeText, m.lang)}</p>
<h2>${m.notice.receives(name)}</h2>
${received}
<form method="post" action="/notices/${contract.id}">
<input type="hidden" name="csrf" value="${options.csrf}">
<input type="hidden" name="next" value="${options.next}">
<input type="hidden" name="back" value="${options.back}">
${optional}
${notReceived}
<button type="submit" name="decision" value="accept">${m.notice.accept}</button>
<button type="submit" name="decision" value="decline" class="secondary">${m.notice.decline}</button>
</form>
<h2>${m.notice.how}</h2>
<p>${m.notice.delivery[facts.access === 'identified' ? contract.identity.delivery : 'none']} ${m.patron.browserSends(name)}</p>
${contract.browse ? html`<p data-tracking="blocked">${m.notice.trackingBlocked(name)}</p>` : ''}
<p>${c.privacyPolicy ? html`<a href="${c.privacyPolicy}" rel="noreferrer noopener">${m.notice.privacyPolicy(name)}</a>. ` : ''}${m.notice.contract(c.reference, formatDate(c.effective, m.lang), formatDate(c.expires, m.lang))}</p>
<p>${m.notice.changeLater}</p>`,
  });
}
