import { html, type SafeHtml } from './html.ts';

/** The shell of every gateway page: landmarks, a skip link, readable on a phone, no external assets. */
export function renderLayout(options: { title: string; lang?: string; main: SafeHtml; signedIn?: boolean; csrf?: string }): string {
  return `<!doctype html>${html`<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Library privacy gateway</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Gateway"><a href="/">Library services</a> <a href="/privacy/vendors">Who we share with</a>${
    options.signedIn
      ? html` <a href="/me/sharing">What services see about me</a> <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${options.csrf ?? ''}"><button type="submit">Sign out</button></form>`
      : html` <a href="/login">Sign in</a>`
  }</nav></header>
<main id="main" tabindex="-1">${options.main}</main>
<footer><p>This gateway shares only what each service's contract with the library allows.</p></footer>
</body>
</html>`.value}`;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:44rem;padding:0 1rem}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;outline:3px solid #0b57d0}
header nav{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:1rem 0;border-bottom:1px solid #ccc}
a{color:#0b4fa8}a:focus,button:focus,input:focus{outline:3px solid #0b57d0;outline-offset:2px}
h1{font-size:1.6rem;line-height:1.25}
label{display:block;font-weight:600;margin-top:1rem}
input[type=text],input[type=password]{font-size:1rem;padding:.6rem;width:100%;max-width:22rem;border:1px solid #555;border-radius:4px;box-sizing:border-box}
button{font-size:1rem;padding:.6rem 1.2rem;margin-top:1rem;border-radius:4px;border:1px solid #0b4fa8;background:#0b4fa8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b4fa8}
form.inline{display:inline}form.inline button{margin:0;padding:.2rem .6rem}
.error{border-left:4px solid #b00020;padding:.5rem 1rem;background:#fdecee}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top}
footer{margin-top:3rem;padding:1rem 0;border-top:1px solid #ccc;font-size:.9rem;color:#444}
`;
