import type { Messages } from '../messages/messages.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';

/** The sign-in page: library card number and PIN. The same message for any failure. */
export function renderLoginPage(options: { m: Messages; next: string; csrf: string; failed?: boolean; demoHint?: boolean }): string {
  const { m } = options;
  return renderLayout({
    m,
    title: m.login.title,
    path: `/login?next=${encodeURIComponent(options.next)}`,
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
${options.demoHint ? html`<p><small>${m.login.demoHint}</small></p>` : ''}
<p>${m.login.explain}</p>`,
  });
}
