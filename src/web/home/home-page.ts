import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { isContractInForce } from '../../contracts/contract-status.ts';
import type { Messages } from '../messages/messages.ts';
import { html } from '../../lib/html.ts';
import { pickText } from '../../lib/localized-text.ts';
import { renderLayout } from '../layout.ts';
import { chooseStaffMessages } from '../messages/staff-catalogues.ts';
import type { PageBrand } from '../branding/page-brand.ts';

/** More services than this and the front page offers a search. */
export const SEARCH_FROM = 10;

/** Longest search text read; the rest is ignored. */
const MAX_QUERY = 100;

/** Text folded for matching: lower case, without accents. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The search text of a ?q= parameter: a string, trimmed and bounded; '' for anything else. */
export function readSearchQuery(q: unknown): string {
  return typeof q === 'string' ? q.trim().slice(0, MAX_QUERY) : '';
}

/**
 * The gateway's front page: the library's services by display name, grouped by kind; closed ones
 * marked and not linked; a search (a plain GET form, filtered here: the pages run no script)
 * once there are more than SEARCH_FROM. A service that signs patrons in on its own site (SAML,
 * OpenID Connect) is named without a /v/ link, and the page says so; staff see a link to the console.
 */
export function renderHomePage(options: { m: Messages; contracts: ReadonlyArray<CompiledContract>; signedIn: boolean; csrf: string; brand?: PageBrand; now: Date; query?: string; staffConsole?: boolean }): string {
  const { m } = options;
  const services = options.contracts.filter((c) => c.kind !== 'grant');
  const searchable = services.length > SEARCH_FROM;
  const query = searchable ? (options.query ?? '') : '';
  const wanted = fold(query);
  const shown = services
    .filter((c) => wanted === '' || fold(`${c.name} ${pickText(c.purposeText, m.lang)}`).includes(wanted))
    .sort((a, b) => a.name.localeCompare(b.name, m.lang));
  const kinds = (['econtent', 'database'] as const).filter((kind) => shown.some((c) => c.kind === kind));
  return renderLayout({
    m,
    title: m.home.title,
    path: '/',
    signedIn: options.signedIn,
    csrf: options.csrf,
    ...(options.brand ? { brand: options.brand } : {}),
    main: html`<h1>${m.home.title}</h1>
<p>${m.home.intro}</p>
${options.staffConsole ? html`<p class="staff-link"><a href="/staff">${chooseStaffMessages(m).openConsole}</a></p>` : ''}
${
  searchable
    ? html`<form method="get" action="/" role="search"><label for="q">${m.patron.search}</label><input type="search" id="q" name="q" value="${query}" maxlength="${MAX_QUERY}"><button type="submit">${m.patron.searchButton}</button></form>
${query === '' ? '' : html`<p role="status">${shown.length === 0 ? m.patron.searchNothing(query) : m.patron.searchResults(shown.length, query)} <a href="/">${m.patron.searchClear}</a></p>`}`
    : ''
}
${kinds.map(
  (kind) => html`<section aria-labelledby="kind-${kind}"><h2 id="kind-${kind}">${m.patron.kinds[kind]}</h2>
<ul class="services">${shown
    .filter((c) => c.kind === kind)
    .map((c) =>
      isContractInForce(c, options.now)
        ? c.identity.delivery === 'saml' || c.identity.delivery === 'oidc'
          ? html`<li data-vendor="${c.id}">${c.name}: ${pickText(c.purposeText, m.lang)} (${m.home.signInThere})</li>`
          : html`<li data-vendor="${c.id}"><a href="/v/${c.id}/">${c.name}</a>: ${pickText(c.purposeText, m.lang)}</li>`
        : html`<li data-vendor="${c.id}" data-closed="yes"><span>${c.name}</span> <span class="closed">${m.patron.closed}</span></li>`,
    )}</ul></section>`,
)}`,
  });
}
