/**
 * Realistic vendor pages for the rewriting benchmark: a research database's search results page
 * (head full of stylesheets, preloads and scripts, a large inline bootstrap script and style block,
 * navigation, result cards with cover images, srcset, badges and microdata, a footer), built to a
 * given size. About one URL per 300 bytes, as on such pages; most bytes are markup and text.
 */
export function buildVendorPage(targetBytes: number): string {
  const head = [
    '<!DOCTYPE html>\n<html lang="en" class="no-js">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Search results: climate adaptation – Vendor Research Database</title>',
    ...Array.from({ length: 6 }, (_, i) => `<link rel="stylesheet" href="https://cdn.vendor.com/assets/css/bundle-${i}.3f9a1c.css" integrity="sha384-${'A'.repeat(64)}" crossorigin="anonymous">`),
    '<link rel="preconnect" href="https://fonts.tracker.example"><link rel="icon" href="/favicon.ico">',
    '<link rel="preload" as="image" href="/img/hero.webp" imagesrcset="/img/hero-480.webp 480w, /img/hero-960.webp 960w" imagesizes="100vw">',
    ...Array.from({ length: 8 }, (_, i) => `<script src="https://cdn.vendor.com/assets/js/chunk-${i}.9b2e.js" defer></script>`),
    '<script src="https://www.googletagmanager.com/gtm.js?id=GTM-XXXX" async></script>',
    `<script>window.__BOOTSTRAP__ = ${JSON.stringify({ user: null, api: 'https://api.vendor.com/v3/', facets: Array.from({ length: 120 }, (_, i) => ({ id: `facet-${i}`, label: `Subject heading number ${i}`, count: i * 17 })) })};</script>`,
    `<style>${Array.from({ length: 80 }, (_, i) => `.card-${i} { margin: ${i % 7}px; background: url(/img/pattern-${i % 5}.png) repeat-x; } .card-${i}:hover { color: #${(i * 4321).toString(16).slice(0, 3)}; }`).join('\n')}</style>`,
    '</head>',
  ].join('\n');
  const nav = `<body class="search-page" data-page="results">\n<header class="site-header"><a class="logo" href="/"><img src="https://cdn.vendor.com/img/logo.svg" alt="Vendor"></a><nav aria-label="Main">${Array.from({ length: 30 }, (_, i) => `<a class="nav-link" href="/browse/topic-${i}?src=nav">Topic ${i}</a>`).join('')}</nav></header>\n<main id="main">`;
  const card = (i: number): string =>
    `<article class="result card-${i % 80}" itemscope itemtype="https://schema.org/ScholarlyArticle" data-id="${100000 + i}" data-rank="${i}">
  <div class="result-media"><img loading="lazy" src="https://cdn.vendor.com/covers/${i}/small.jpg" srcset="https://cdn.vendor.com/covers/${i}/small.jpg 1x, https://cdn.vendor.com/covers/${i}/large.jpg 2x" width="120" height="160" alt="Cover of result ${i}"></div>
  <div class="result-body"><h2 class="result-title" itemprop="headline"><a href="/document/${100000 + i}?q=climate+adaptation&amp;page=1&amp;pos=${i}">Regional climate adaptation strategies for coastal communities, volume ${i}: a comparative study</a></h2>
  <p class="result-authors"><span itemprop="author">Smith, J.</span>; <span itemprop="author">García, M.</span>; <span itemprop="author">Okafor, C.</span></p>
  <p class="result-source">Journal of Environmental Planning, ${1990 + (i % 35)}, vol. ${i % 60}, no. ${i % 12}, pp. ${i}–${i + 24}</p>
  <p class="result-abstract">This study examines adaptation measures adopted by municipalities along the coast between 2005 and 2020, comparing zoning changes, managed retreat programmes, green infrastructure and insurance instruments. Interviews with planners and residents show that measures combining public funding with local participation were sustained longer than those imposed by regional authorities, while buyout programmes met resistance where cultural ties to place were strong.</p>
  <ul class="result-subjects">${Array.from({ length: 5 }, (_, j) => `<li><a class="subject" href="/search?subject=${encodeURIComponent(`Subject ${i}-${j}`)}">Subject ${i}-${j}</a></li>`).join('')}</ul>
  <div class="result-actions"><a class="btn btn-primary" href="https://www.vendor.com/pdf/${100000 + i}.pdf" download>PDF</a> <button type="button" class="btn" data-action="cite" aria-label="Cite this article">Cite</button> <button type="button" class="btn" data-action="save">Save</button></div></div>
</article>\n`;
  const footer = `</main>\n<footer class="site-footer"><p>© Vendor Inc. <a href="/terms">Terms</a> · <a href="/privacy">Privacy</a> · <a href="https://twitter.example/vendor">Follow us</a></p><img src="https://tracker.example/pixel.gif?p=results" width="1" height="1" alt=""></footer>\n</body>\n</html>\n`;
  let body = '';
  for (let i = 0; head.length + nav.length + body.length + footer.length < targetBytes; i++) body += card(i);
  return head + nav + body + footer;
}
