import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Messages } from '../messages/messages.ts';
import { describeRelease, formatViewValue } from '../describe-release.ts';
import type { NoticeFacts } from '../../minimize/notice-facts.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';

export interface NoticePageOptions {
  readonly m: Messages;
  readonly contract: CompiledContract;
  readonly facts: NoticeFacts;
  readonly next: string;
  readonly back: string;
  readonly csrf: string;
  /** Consents to show ticked (the patron's earlier choice for this same notice version). */
  readonly ticked: ReadonlyArray<string>;
}

/**
 * The third-party notice. Every fact on it comes from the minimizer's output for this patron;
 * each released item also carries data attributes (field, name, value) so tests can check the
 * page against what the vendor really receives.
 */
export function renderNoticePage(options: NoticePageOptions): string {
  const { m, contract, facts } = options;
  const name = contract.name;
  const c = contract.contract;
  const received = facts.access !== 'identified' || facts.receives.length === 0
    ? html`<p data-receives="nothing">${facts.access === 'anonymous' ? m.notice.anonymousMinor(name) : m.notice.receivesNothing(name)}</p>`
    : html`<ul>${facts.receives.map((f) => html`<li data-field="${f.field}" data-as="${f.as}" data-value="${formatViewValue(f.value)}">${describeRelease(m, f)}: <strong>${formatViewValue(f.value)}</strong></li>`)}</ul>`;
  const optional = facts.access === 'identified' && facts.optional.length > 0
    ? html`<fieldset><legend><h2>${m.notice.optional}</h2></legend><p id="optional-help">${m.notice.optionalHelp}</p>${facts.optional.map(
        (f, i) => html`<label class="check" for="consent-${i}"><input type="checkbox" id="consent-${i}" name="consent" value="${f.consent}" aria-describedby="optional-help" data-field="${f.field}" data-as="${f.as}" data-value="${formatViewValue(f.value)}"${options.ticked.includes(f.consent) ? html` checked` : ''}> <span>${m.notice.alsoShare(describeRelease(m, f))}: <strong>${formatViewValue(f.value)}</strong></span></label>`,
      )}</fieldset>`
    : '';
  return renderLayout({
    m,
    title: m.notice.title(name),
    path: `/notices/${contract.id}?next=${encodeURIComponent(options.next)}`,
    signedIn: true,
    csrf: options.csrf,
    main: html`<h1>${m.notice.title(name)}</h1>
<p>${m.notice.intro(name)}</p>
<h2>${m.notice.purpose}</h2>
<p>${contract.purpose}</p>
<h2>${m.notice.receives(name)}</h2>
${received}
<form method="post" action="/notices/${contract.id}">
<input type="hidden" name="csrf" value="${options.csrf}">
<input type="hidden" name="next" value="${options.next}">
<input type="hidden" name="back" value="${options.back}">
${optional}
${facts.notReceived.length > 0 || facts.access !== 'identified' ? html`<h2>${m.notice.notReceived}</h2><ul>${(facts.access === 'identified' ? facts.notReceived : [...facts.notReceived]).map((f) => html`<li data-withheld="${f}">${m.fields[f] ?? f}</li>`)}</ul>` : ''}
<h2>${m.notice.how}</h2>
<p>${m.notice.delivery[facts.access === 'identified' ? contract.identity.delivery : 'none']}</p>
${contract.browse ? html`<p data-tracking="blocked">${m.notice.trackingBlocked(name)}</p>` : ''}
<p>${c.privacyPolicy ? html`<a href="${c.privacyPolicy}" rel="noreferrer noopener">${m.notice.privacyPolicy(name)}</a>. ` : ''}${m.notice.contract(c.reference, c.effective, c.expires)}</p>
<p>${m.notice.changeLater}</p>
<button type="submit" name="decision" value="accept">${m.notice.accept}</button>
<button type="submit" name="decision" value="decline" class="secondary">${m.notice.decline}</button>
</form>`,
  });
}
