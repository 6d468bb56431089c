import type { Messages } from '../messages/messages.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import type { PageBrand } from '../branding/page-brand.ts';

/** The sign-in page: library card number and PIN, on the library's branded page with its "forgot your PIN?" link. The same message for any failure. */
export function renderLoginPage(options: { m: Messages; next: string; csrf: string; failed?: boolean; demoHint?: boolean; brand?: PageBrand }): string {
  const { m } = options;
  const forgotPin = options.brand?.branding?.forgotPin;
  return renderLayout({
    m,
    title: m.login.title,
    path: `/login?next=${encodeURIComponent(options.next)}`,
    ...(options.brand ? { brand: options.brand } : {}),
    main: html`<h1>${m.login.heading}</h1>
${options.failed ? html`<p class="error" role="alert" id="login-error">${m.login.failed}</p>` : ''}
<form method="post" action="/login"${options.failed ? html` aria-describedby="login-error"` : ''}>
<input type="hidden" name="csrf" value="${options.csrf}">
<input type="hidden" name="next" value="${options.next}">
<label for="barcode">${m.login.barcode}</label>
<input type="text" id="barcode" name="barcode" inputmode="numeric" autocomplete="username" required maxlength="64">
<label for="pin">${m.login.pin}</label>
<input type="password" id="pin" name="pin" autocomplete="current-password" required maxlength="128">
<button type="submit">${m.login.submit}</button>
</form>
${forgotPin ? html`<p><a href="${forgotPin}">${m.brand.forgotPin}</a></p>` : ''}
${options.demoHint ? html`<p><small>${m.login.demoHint}</small></p>` : ''}
<p>${m.login.explain}</p>`,
  });
}
