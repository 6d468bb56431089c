import type { CompiledContract } from '../contracts/compiled-contract.ts';
import { html } from './html.ts';
import { renderLayout } from './layout.ts';

/** The gateway's front page: the library's services, with links through the gateway. */
export function renderHomePage(options: { contracts: ReadonlyArray<CompiledContract>; signedIn: boolean; csrf: string }): string {
  const services = options.contracts.filter((c) => c.kind !== 'grant');
  return renderLayout({
    title: 'Library services',
    signedIn: options.signedIn,
    csrf: options.csrf,
    main: html`<h1>Library services</h1>
<p>These services are reached through the library's privacy gateway: each receives only what its contract with the library allows.</p>
<ul>${services.map((c) => html`<li><a href="/v/${c.id}/">${c.name}</a> — ${c.purpose}</li>`)}</ul>`,
  });
}
