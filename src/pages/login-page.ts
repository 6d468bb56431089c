import { html } from './html.ts';
import { renderLayout } from './layout.ts';

/** The sign-in page: library card barcode and PIN. The same message for any failure. */
export function renderLoginPage(options: { next: string; csrf: string; failed?: boolean; demoHint?: boolean }): string {
  return renderLayout({
    title: 'Sign in',
    main: html`<h1>Sign in with your library card</h1>
${options.failed ? html`<p class="error" role="alert" id="login-error">That card number and PIN did not match our records. Please try again.</p>` : ''}
<form method="post" action="/login"${options.failed ? html` aria-describedby="login-error"` : ''}>
<input type="hidden" name="csrf" value="${options.csrf}">
<input type="hidden" name="next" value="${options.next}">
<label for="barcode">Library card number</label>
<input type="text" id="barcode" name="barcode" inputmode="numeric" autocomplete="username" required maxlength="64">
<label for="pin">PIN</label>
<input type="password" id="pin" name="pin" autocomplete="current-password" required maxlength="128">
<button type="submit">Sign in</button>
</form>
${options.demoHint ? html`<p><small>Demo: card 29000000000001, PIN 1111 (more in the README).</small></p>` : ''}
<p>Signing in lets you use the library's e-books, databases and other services. We tell you what each service will receive before anything is shared.</p>`,
  });
}
