import { CATALOGUES } from './messages/choose-language.ts';
import type { Messages } from './messages/messages.ts';
import { html, type SafeHtml } from '../lib/html.ts';
import { pickText } from '../lib/localized-text.ts';
import { COLOUR_DEFAULTS } from '../settings/branding-schema.ts';
import type { PageBrand } from './branding/page-brand.ts';

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
  /** The library's branding (patron pages); absent: the gateway's own name and colours. */
  readonly brand?: PageBrand;
}

/** The shell of every gateway page: landmarks, a skip link, a language switch, readable on a phone, no external assets. */
export function renderLayout(options: LayoutOptions): string {
  const { m } = options;
  const back = encodeURIComponent(options.path ?? '/');
  const languages = [...CATALOGUES.values()].map((c) =>
    c.lang === m.lang ? html`<span aria-current="true" lang="${c.lang}">${c.languageName}</span>` : html`<a href="/language/${c.lang}?next=${back}" lang="${c.lang}" hreflang="${c.lang}">${c.languageName}</a>`,
  );
  const branding = options.brand?.branding;
  const libraryName = branding ? pickText(branding.libraryName, m.lang) : m.siteName;
  const colours = branding?.colours ?? COLOUR_DEFAULTS;
  // Colours are validated #rgb/#rrggbb at startup: nothing else reaches the style sheet.
  const palette = `:root{--text:${colours.text};--bg:${colours.background};--accent:${colours.accent};--accent-text:${colours.accentText};--header:${colours.header};--header-text:${colours.headerText}}`;
  return `<!doctype html>${html`<html lang="${m.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · ${libraryName}</title>
${options.brand?.favicon ? html`<link rel="icon" href="/branding/favicon">` : ''}
<style>${palette}${STYLE}</style>${options.extraStyle ? html`<style>${options.extraStyle}</style>` : ''}
</head>
<body>
<a class="skip" href="#main">${m.skipToContent}</a>
<header>
<div class="brand"><a href="${branding ? branding.website : '/'}" class="brand-name">${options.brand?.logo ? html`<img src="/branding/logo" alt="" width="40" height="40">` : ''}<span>${libraryName}</span></a></div>
<nav aria-label="${m.siteName}"><a href="/">${m.nav.home}</a> <a href="/privacy/vendors">${m.nav.register}</a>${
    options.signedIn
      ? html` <a href="/me/sharing">${m.nav.sharing}</a> <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${options.csrf ?? ''}"><button type="submit" class="link">${m.nav.signOut}</button></form>`
      : html` <a href="/login">${m.nav.signIn}</a>`
  }</nav>
<nav aria-label="${m.nav.language}" class="languages">${languages}</nav>
</header>
<main id="main" tabindex="-1">${options.main}</main>
<footer>${branding ? html`<ul class="footer-links"><li><a href="${branding.website}">${m.brand.website}</a></li>${branding.contact.phone ? html`<li><a href="tel:${branding.contact.phone.replace(/[^0-9+]/g, '')}">${m.brand.call(branding.contact.phone)}</a></li>` : ''}${branding.contact.email ? html`<li><a href="mailto:${branding.contact.email}">${m.brand.email(branding.contact.email)}</a></li>` : ''}${branding.contact.url ? html`<li><a href="${branding.contact.url}">${m.brand.contact}</a></li>` : ''}${branding.privacyPolicy ? html`<li><a href="${branding.privacyPolicy}">${m.brand.privacyPolicy}</a></li>` : ''}</ul>` : ''}<p>${m.footer}</p></footer>
</body>
</html>`.value}`;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:var(--text);background:var(--bg)}
body{margin:0 auto;max-width:46rem;padding:0 1rem;overflow-wrap:break-word}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--bg);color:var(--accent);padding:.5rem;outline:3px solid var(--accent);z-index:1}
.brand{background:var(--header);margin:0 -1rem;padding:.6rem 1rem}
.brand a.brand-name{color:var(--header-text);display:flex;gap:.6rem;align-items:center;font-weight:700;font-size:1.15rem;text-decoration:none}
.brand a.brand-name:focus{outline-color:var(--header-text)}
.brand img{flex:none;width:40px;height:40px}
header nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center;padding:.5rem 0}
.note{font-size:.95rem}
header nav.languages{border-bottom:1px solid #767676;padding-top:0;font-size:.95rem}
a{color:var(--accent)}a:focus,button:focus,input:focus,summary:focus{outline:3px solid var(--accent);outline-offset:2px}
h1{font-size:1.6rem;line-height:1.25;margin:1rem 0 .6rem}h2{font-size:1.2rem;margin:1.4rem 0 .5rem}
fieldset{border:1px solid #767676;border-radius:6px;margin:1rem 0;padding:.2rem 1rem .6rem}legend h2{margin:0}fieldset p{margin:.3rem 0}
label{display:block;font-weight:600;margin-top:1rem}
label.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
input[type=text],input[type=password],input[type=search],select,textarea{font-size:1rem;padding:.6rem;width:100%;max-width:40rem;border:1px solid #555;border-radius:4px;box-sizing:border-box;color:var(--text);background:var(--bg)}
input[type=checkbox]{width:1.2rem;height:1.2rem;margin-top:.2rem;flex:none}
button{font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0;border-radius:4px;border:2px solid var(--accent);background:var(--accent);color:var(--accent-text);cursor:pointer;max-width:100%;white-space:normal;text-align:left}
button.secondary{background:var(--bg);color:var(--accent)}
button.link{background:none;border:none;color:var(--accent);text-decoration:underline;padding:0;margin:0;font:inherit}
a.button{display:inline-block;font-size:1rem;padding:.6rem 1.2rem;margin:1rem .5rem 0 0;border-radius:4px;border:2px solid var(--accent);background:var(--accent);color:var(--accent-text);text-decoration:none;max-width:100%}
form.inline{display:inline}
.error{border-left:4px solid #b00020;padding:.5rem 1rem;background:#fdecee;color:#1a1a1a}
.done{border-left:4px solid #1e6b34;padding:.5rem 1rem;background:#e9f5ec;color:#1a1a1a}
.card{border:1px solid #767676;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}
details.card{padding:.6rem 1rem}details.card>summary{cursor:pointer;font-weight:600}
details.card>summary h2{display:inline;font-size:1.1rem;margin:0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ccc;vertical-align:top;overflow-wrap:anywhere}
code{overflow-wrap:anywhere;word-break:break-all}strong.value{overflow-wrap:anywhere}
.report-progress{list-style:none;padding:0}.report-progress li:has(+ li){display:none}
.closed{background:#f1f1f1;color:#1a1a1a;padding:0 .3rem;border-radius:3px}
ul.services{padding-left:1.2rem}ul.services li{margin:.4rem 0}
footer{margin-top:3rem;padding:1rem 0;border-top:1px solid #767676;font-size:.9rem}
ul.footer-links{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
@media (max-width:30rem){th,td{display:block;border-bottom:none;padding:.2rem .4rem}tr{display:block;border-bottom:1px solid #ccc;padding:.3rem 0}thead{display:none}}
`;
