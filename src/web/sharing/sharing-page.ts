import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Messages } from '../messages/messages.ts';
import type { Acknowledgement } from '../../notices/acknowledgements.ts';
import { describeDecision, describeRule, formatViewValue } from '../describe-release.ts';
import type { Patron } from '../../policy/patron.ts';
import { readPatronField } from '../../policy/patron.ts';
import type { MinimizeResult } from '../../minimize/minimize.ts';
import { listContractConsents } from '../../minimize/notice-facts.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import { NO_BRAND, type PageBrand } from '../branding/page-brand.ts';
import { describePatronValue, describeViewValue, formatDate, labelConsent } from '../labels/plain-values.ts';

export interface SharingRow {
  readonly contract: CompiledContract;
  /** The real vendor view for this patron, with the consents they chose. */
  readonly result: MinimizeResult;
  readonly acknowledgement?: Acknowledgement;
  /** The agreement is not in force: the service is closed. */
  readonly closed?: boolean;
}

/** What the patron just did, confirmed at the top of the page (read back from the redirect's query: ids only, checked against the contracts). */
export type SharingDone =
  | { readonly kind: 'acknowledgement-withdrawn'; readonly contract: CompiledContract }
  | { readonly kind: 'consent-withdrawn' | 'consent-given'; readonly contract: CompiledContract; readonly consent: string };

/** What a consent releases, in the patron's words ("your email address"). */
export function describeConsent(m: Messages, contract: CompiledContract, consent: string): string {
  return contract.rules.filter((r) => r.consent === consent && r.action !== 'drop').map((r) => describeRule(m, r)).join(', ') || consent;
}

/**
 * "What services see about me": one line per service (what it receives, at a glance), the
 * patron's own values beside exactly what it gets behind a disclosure, and the patron's choices
 * with buttons to withdraw them or turn optional sharing back on. Children (and patrons without a
 * date of birth) are not offered optional sharing: that needs a parent or guardian.
 */
export function renderSharingPage(options: { m: Messages; patron: Patron; rows: ReadonlyArray<SharingRow>; csrf: string; brand?: PageBrand; done?: SharingDone; mayConsent?: boolean }): string {
  const { m, patron } = options;
  const brand = options.brand ?? NO_BRAND;
  const words = { lang: m.lang, ...m.values };
  const done = options.done;
  const hidden = (vendor: string) => html`<input type="hidden" name="csrf" value="${options.csrf}"><input type="hidden" name="vendor" value="${vendor}">`;
  return renderLayout({
    m,
    title: m.sharing.title,
    path: '/me/sharing',
    signedIn: true,
    csrf: options.csrf,
    brand,
    main: html`<h1>${m.sharing.title}</h1>
${
  done === undefined
    ? ''
    : html`<p class="done" role="status" data-done="${done.kind}">${
        done.kind === 'acknowledgement-withdrawn'
          ? m.patron.done.acknowledgementWithdrawn(done.contract.name)
          : (done.kind === 'consent-withdrawn' ? m.patron.done.consentWithdrawn : m.patron.done.consentGiven)(describeConsent(m, done.contract, done.consent), done.contract.name)
      }</p>`
}
<p>${m.sharing.intro}</p>
${options.rows.map((row) => {
  const { contract, result, acknowledgement } = row;
  const ack = acknowledgement && acknowledgement.version === contract.noticeVersion ? acknowledgement : undefined;
  const releasedFor = new Map(result.decisions.filter((d) => d.reason === 'released').map((d) => [d.field, d]));
  const count = result.access === 'identified' ? releasedFor.size : 0;
  const status = row.closed ? m.patron.closed : result.access === 'blocked' ? m.sharing.blocked : result.access === 'anonymous' ? m.sharing.anonymous : count === 0 ? m.patron.sharingNothing : m.patron.sharingSummary(count);
  const notChosen = ack ? listContractConsents(contract).filter((c) => !ack.consents.includes(c)) : [];
  return html`<section class="card" aria-labelledby="share-${contract.id}" data-vendor="${contract.id}">
<h2 id="share-${contract.id}">${contract.name}</h2>
${contract.identity.delivery === 'oidc' && result.access !== 'blocked' ? html`<p data-delivery="oidc">${m.sharing.signsIn(contract.name)}</p>` : ''}
<p data-status>${status}</p>
<details>
<summary>${m.sharing.theyGet}</summary>
<table>
<caption class="skip">${contract.name}</caption>
<thead><tr><th scope="col">${m.sharing.yourValue}</th><th scope="col">${m.sharing.theyGet}</th></tr></thead>
<tbody>${result.decisions.map((d) => {
    const own = readPatronField(patron, d.field);
    const released = releasedFor.get(d.field);
    const value = released?.as !== undefined ? result.view[released.as] : undefined;
    const kind = d.outcome === 'pseudonymized' ? 'pseudonym' : d.outcome === 'generalized' ? 'generalized' : 'passed';
    return html`<tr data-field="${d.field}"><td>${m.fields[d.field] ?? d.field}: ${describePatronValue(d.field, own, words, brand.labels)}</td><td data-gets="${value === undefined ? '' : formatViewValue(value)}">${released && value !== undefined ? html`${describeDecision(m, d)}: <strong class="value">${describeViewValue(d.field, kind, value, words, brand.labels)}</strong>` : html`<em>${m.sharing.withheld}</em>`}</td></tr>`;
  })}</tbody>
</table>
</details>
<p data-ack="${ack ? 'yes' : 'no'}">${ack ? m.sharing.acknowledged(formatDate(new Date(ack.at * 1000), m.lang)) : m.patron.notAccepted}</p>
${ack ? html`<p>${m.sharing.consents}: ${ack.consents.length > 0 ? ack.consents.map((c) => labelConsent(c, m.lang, { contract: contract.consentLabels, labels: brand.labels, fallback: describeConsent(m, contract, c) })).join(', ') : m.sharing.noConsents}</p>
<form method="post" action="/me/sharing/revoke" class="inline">${hidden(contract.id)}<input type="hidden" name="what" value="acknowledgement"><button type="submit" class="secondary">${m.sharing.revokeAck}</button></form>
${ack.consents.map((consent) => html` <form method="post" action="/me/sharing/revoke" class="inline">${hidden(contract.id)}<input type="hidden" name="what" value="consent"><input type="hidden" name="consent" value="${consent}"><button type="submit" class="secondary">${m.sharing.revokeConsent(describeConsent(m, contract, consent))}</button></form>`)}
${notChosen.length === 0 || result.access !== 'identified' ? '' : options.mayConsent === false ? html`<p>${m.patron.childCannotShare}</p>` : notChosen.map((consent) => html` <form method="post" action="/me/sharing/share" class="inline">${hidden(contract.id)}<input type="hidden" name="consent" value="${consent}"><button type="submit" class="secondary">${m.patron.startSharing(describeConsent(m, contract, consent))}</button></form>`)}` : ''}
</section>`;
})}`,
  });
}
