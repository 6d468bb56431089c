import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import type { Messages } from '../messages/messages.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import { chooseStaffMessages } from '../messages/staff-catalogues.ts';

/**
 * The gateway's front page: the library's services, with links through the gateway; a service
 * that signs patrons in with SAML is used on its own site (no /v/ link), which the page says.
 */
export function renderHomePage(options: { m: Messages; contracts: ReadonlyArray<CompiledContract>; signedIn: boolean; csrf: string; staffConsole?: boolean }): string {
  const { m } = options;
  const services = options.contracts.filter((c) => c.kind !== 'grant');
  return renderLayout({
    m,
    title: m.home.title,
    path: '/',
    signedIn: options.signedIn,
    csrf: options.csrf,
    main: html`<h1>${m.home.title}</h1>
<p>${m.home.intro}</p>
${options.staffConsole ? html`<p class="staff-link"><a href="/staff">${chooseStaffMessages(m).openConsole}</a></p>` : ''}
<ul>${services.map((c) => (c.identity.delivery === 'saml' ? html`<li>${c.name}: ${c.purpose} (${m.home.signInThere})</li>` : html`<li><a href="/v/${c.id}/">${c.name}</a>: ${c.purpose}</li>`))}</ul>`,
  });
}
