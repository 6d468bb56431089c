import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import type { Messages } from '../messages/messages.ts';
import { MAX_DESTINATION_LENGTH } from './leaving-path.ts';
import type { PageBrand } from '../branding/page-brand.ts';

/**
 * The destination as the page may use it: shown as text whatever it is, and a link only for an
 * http or https URL (never `javascript:`, `data:` or anything else a browser would run or open).
 */
export function readDestination(to: unknown): { readonly text?: string; readonly href?: string } {
  if (typeof to !== 'string' || to === '' || to.length > MAX_DESTINATION_LENGTH) return {};
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    return { text: to };
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? { text: url.href, href: url.href } : { text: to };
}

/**
 * "You are leaving the library's protection": where a vendor pointed, as text, and a plain link
 * the patron may follow or not. No script, no automatic redirect: the page is no open redirect,
 * since going on is always the patron's own click on a link whose address they can read.
 */
export function renderLeavingPage(options: { m: Messages; to: unknown; brand?: PageBrand }): string {
  const { m } = options;
  const destination = readDestination(options.to);
  return renderLayout({
    m,
    title: m.leaving.title,
    path: '/',
    ...(options.brand ? { brand: options.brand } : {}),
    main: html`<h1>${m.leaving.title}</h1>
<p>${m.leaving.explain}</p>
${
  destination.text === undefined
    ? html`<p>${m.leaving.unknown}</p>`
    : html`<p>${m.leaving.destination}</p>
<p><code data-destination>${destination.text}</code></p>
${destination.href === undefined ? html`<p>${m.leaving.notLinkable}</p>` : html`<p><a href="${destination.href}" rel="noreferrer noopener">${m.leaving.go}</a></p>`}`
}
<p><a href="/">${m.leaving.back}</a></p>`,
  });
}
