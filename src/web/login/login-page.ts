import type { Messages } from '../messages/messages.ts';
import { html } from '../../lib/html.ts';
import { renderLayout } from '../layout.ts';
import type { PageBrand } from '../branding/page-brand.ts';

export interface LoginPageOptions {
  readonly m: Messages;
  readonly next: string;
  readonly csrf: string;
  readonly failed?: boolean;
  readonly demoHint?: boolean;
  /** patrons.source: oidc: "Sign in with <name>" instead of the card and PIN form. */
  readonly sso?: { readonly name: string };
  /** admin.sso, when the page leads to the staff console: "Staff: sign in with <name>". */
  readonly staffSso?: { readonly name: string };
  /** The library's branding (its name, colours and "forgot your PIN?" link). */
  readonly brand?: PageBrand;
}

/** The sign-in page: library card number and PIN (with the library's "forgot your PIN?" link), or the library's single sign-on, on the library's branded page. The same message for any failure. */
export function renderLoginPage(options: LoginPageOptions): string {
  const { m } = options;
  const forgotPin = options.brand?.branding?.forgotPin;
  const brand = options.brand ? { brand: options.brand } : {};
  const next = encodeURIComponent(options.next);
  const staff = options.staffSso
    ? html`<p><a class="button" href="/staff/login/oidc?next=${next}">${m.login.staffSsoButton(options.staffSso.name)}</a></p>
<p><small>${m.login.staffSsoExplain}</small></p>`
    : '';
  if (options.sso) {
    return renderLayout({
      m,
      title: m.login.title,
      path: `/login?next=${next}`,
      ...brand,
      main: html`<h1>${m.login.ssoHeading}</h1>
${staff}<p><a class="button" href="/login/oidc?next=${next}">${m.login.ssoButton(options.sso.name)}</a></p>
<p>${m.login.explain}</p>`,
    });
  }
  return renderLayout({
    m,
    title: m.login.title,
    path: `/login?next=${next}`,
    ...brand,
    main: html`${staff}<h1>${m.login.heading}</h1>
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
