import { CATALOGUES } from './messages/choose-language.ts';
import type { Messages } from './messages/messages.ts';
import { html, type SafeHtml } from '../lib/html.ts';

export interface LayoutOptions {
  readonly m: Messages;
  readonly title: string;
  readonly main: SafeHtml;
  /** The current path (for the language switch to come back to). */
  readonly path?: string;
  readonly signedIn?: boolean;
  /** CSRF token for the sign-out form. */
  readonly csrf?: string;
  /** More CSS for this page (the staff console's wide tables); no quotes or angle brackets. */
  readonly extraStyle?: string;
}

/** The shell of every gateway page: landmarks, a skip link, a language switch, readable on a phone, no external assets. */
export function renderLayout(options: LayoutOptions): string {
  const { m } = options;
  const back = encodeURIComponent(options.path ?? '/');
  const languages = [...CATALOGUES.values()].map((c) =>
    c.lang === m.lang ? html`<span aria-current="true" lang="${c.lang}">${c.languageName}</span>` : html`<a href="/language/${c.lang}?next=${back}" lang="${c.lang}" hreflang="${c.lang}">${c.languageName}</a>`,
  );
  return `<!doctype html>${html`<html lang="${m.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${m.siteName}</title>
<style>${STYLE}</style>${options.extraStyle ? html`<style>${options.extraStyle}</style>` : ''}
</head>
<body>
<a class="skip" href="#main">${m.skipToContent}</a>
<header>
<nav aria-label="${m.siteName}"><a href="/">${m.nav.home}</a> <a href="/privacy/vendors">${m.nav.register}</a>${
    options.signedIn
      ? html` <a href="/me/sharing">${m.nav.sharing}</a> <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${options.csrf ?? ''}"><button type="submit" class="link">${m.nav.signOut}</button></form>`
      : html` <a href="/login">${m.nav.signIn}</a>`
  }</nav>
<nav aria-label="${m.nav.language}" class="languages">${languages}</nav>
</header>
<main id="main" tabindex="-1">${options.main}</main>
<footer><p>${m.footer}</p></footer>
</body>
</html>`.value}`;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:46rem;padding:0 1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;outline:3px solid #0b57d0}
header nav{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.75rem 0}
header nav.languages{border-bottom:1px solid #767676;padding-top:0;font-size:.95rem}
a{color:#0b4fa8}a:focus,button:focus,input:focus{outline:3px solid #0b57d0;outline-offset:2px}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-top:1.6rem}
label{display:block;font-weight:600;margin-top:1rem}
label.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
input[type=text],input[type=password],select,textarea{font-size:1rem;padding:.6rem;width:100%;max-width:40rem;border:1px solid #555;border-radius:4px;box-sizing:border-box}
input[type=checkbox]{width:1.2rem;height:1.2rem;margin-top:.2rem}
button{font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0;border-radius:4px;border:2px solid #0b4fa8;background:#0b4fa8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b4fa8}
a.button{display:inline-block;font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0;border-radius:4px;border:2px solid #0b4fa8;background:#0b4fa8;color:#fff;text-decoration:none}
button.link{background:none;border:none;color:#0b4fa8;text-decoration:underline;padding:0;margin:0;font:inherit}
form.inline{display:inline}
.error{border-left:4px solid #b00020;padding:.5rem 1rem;background:#fdecee}
.card{border:1px solid #767676;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ccc;vertical-align:top}
code{word-break:break-all}
.report-progress{list-style:none;padding:0}.report-progress li:has(+ li){display:none}
footer{margin-top:3rem;padding:1rem 0;border-top:1px solid #767676;font-size:.9rem;color:#333}
`;
