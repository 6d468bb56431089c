import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Messages } from '../messages/messages.ts';
import type { Acknowledgement } from '../../notices/acknowledgements.ts';
import { describeDecision, describeRule, formatViewValue } from '../describe-release.ts';
import type { Patron } from '../../policy/patron.ts';
import { readPatronField } from '../../policy/patron.ts';
import type { MinimizeResult } from '../../minimize/minimize.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';

export interface SharingRow {
  readonly contract: CompiledContract;
  /** The real vendor view for this patron, with the consents they chose. */
  readonly result: MinimizeResult;
  readonly acknowledgement?: Acknowledgement;
}

/** "What vendors see about me": the patron's own values beside exactly what each vendor gets. */
export function renderSharingPage(options: { m: Messages; patron: Patron; rows: ReadonlyArray<SharingRow>; csrf: string }): string {
  const { m, patron } = options;
  return renderLayout({
    m,
    title: m.sharing.title,
    path: '/me/sharing',
    signedIn: true,
    csrf: options.csrf,
    main: html`<h1>${m.sharing.title}</h1>
<p>${m.sharing.intro}</p>
${options.rows.map((row) => {
  const { contract, result, acknowledgement } = row;
  const ack = acknowledgement && acknowledgement.version === contract.noticeVersion ? acknowledgement : undefined;
  const releasedFor = new Map(result.decisions.filter((d) => d.reason === 'released').map((d) => [d.field, d]));
  return html`<section class="card" aria-labelledby="share-${contract.id}" data-vendor="${contract.id}">
<h2 id="share-${contract.id}">${contract.name}</h2>
${contract.identity.delivery === 'oidc' && result.access !== 'blocked' ? html`<p data-delivery="oidc">${m.sharing.signsIn(contract.name)}</p>` : ''}
${result.access === 'blocked' ? html`<p>${m.sharing.blocked}</p>` : result.access === 'anonymous' ? html`<p>${m.sharing.anonymous}</p>` : ''}
<table>
<caption class="skip">${contract.name}</caption>
<thead><tr><th scope="col">${m.sharing.yourValue}</th><th scope="col">${m.sharing.theyGet}</th></tr></thead>
<tbody>${result.decisions.map((d) => {
    const own = readPatronField(patron, d.field);
    const released = releasedFor.get(d.field);
    const value = released?.as !== undefined ? result.view[released.as] : undefined;
    return html`<tr data-field="${d.field}"><td>${m.fields[d.field] ?? d.field}: ${formatViewValue(own)}</td><td data-gets="${value === undefined ? '' : formatViewValue(value)}">${released && value !== undefined ? html`${describeDecision(m, d)}: <strong>${formatViewValue(value)}</strong>` : html`<em>${m.sharing.withheld}</em>`}</td></tr>`;
  })}</tbody>
</table>
<p data-ack="${ack ? 'yes' : 'no'}">${ack ? m.sharing.acknowledged(new Date(ack.at * 1000).toISOString().slice(0, 10)) : m.sharing.notAcknowledged}</p>
${ack ? html`<p>${m.sharing.consents}: ${ack.consents.length > 0 ? ack.consents.join(', ') : m.sharing.noConsents}</p>
<form method="post" action="/me/sharing/revoke" class="inline"><input type="hidden" name="csrf" value="${options.csrf}"><input type="hidden" name="vendor" value="${contract.id}"><input type="hidden" name="what" value="acknowledgement"><button type="submit" class="secondary">${m.sharing.revokeAck}</button></form>
${ack.consents.map((consent) => {
  const what = contract.rules.filter((r) => r.consent === consent).map((r) => describeRule(m, r)).join(', ') || consent;
  return html` <form method="post" action="/me/sharing/revoke" class="inline"><input type="hidden" name="csrf" value="${options.csrf}"><input type="hidden" name="vendor" value="${contract.id}"><input type="hidden" name="what" value="consent"><input type="hidden" name="consent" value="${consent}"><button type="submit" class="secondary">${m.sharing.revokeConsent(what)}</button></form>`;
})}` : ''}
</section>`;
})}`,
  });
}
