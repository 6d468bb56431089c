import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { escapeHtml } from '../lib/html.ts';

/** The demo website's host names (the contract vendors/web-demo.yaml pins them to 127.0.0.1). */
export const DEMO_SITE_HOSTS = Object.freeze({
  pages: 'pages.browse-demo.example',
  cdn: 'cdn.browse-demo.example',
  api: 'api.browse-demo.example',
  /** A third-party tracker the contract does not name: browse mode never lets the patron's browser reach it. */
  tracker: 'tracker.example',
});

export interface DemoSite {
  readonly server: Server;
  /** The last requests the site received (host name and path only; at most 1000), for the demo's tests. */
  readonly hits: ReadonlyArray<{ readonly host: string; readonly path: string }>;
}

const MAX_HITS = 1000;

/**
 * The embedded demo's website: one loopback server answering for four hosts by their Host header,
 * the way a real vendor site spreads over a pages host, a CDN, an API host and somebody else's
 * tracker. The pages link with absolute, relative and protocol-relative URLs, load a style sheet, an
 * image and a script from the CDN, call the API from that script, post a search form, set a cookie
 * for the whole vendor domain (Domain=browse-demo.example), and embed a third-party tracker and a
 * first-party analytics beacon, so that browse mode has everything to rewrite, keep and block.
 * Never started when NODE_ENV=production.
 */
export function createDemoBrowseSite(): DemoSite {
  const hits: Array<{ host: string; path: string }> = [];
  const server = createServer((req, res) => {
    // The site names its hosts on the port it was reached on (the demo's 9110, a test's own).
    const at = (host: string): string => `http://${host}:${req.socket.localPort}`;
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    hits.push({ host, path: url.pathname });
    if (hits.length > MAX_HITS) hits.shift();
    res.setHeader('Cache-Control', 'no-store');
    switch (host) {
      case DEMO_SITE_HOSTS.pages:
        void answerPages(req, res, url, at);
        return;
      case DEMO_SITE_HOSTS.cdn:
        answerCdn(res, url, at);
        return;
      case DEMO_SITE_HOSTS.api:
        res.setHeader('Access-Control-Allow-Origin', at(DEMO_SITE_HOSTS.pages));
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ items: ['Atlas of Rivers', 'Field Guide to Ferns', 'Letters from the Lighthouse'], cookie: req.headers.cookie ?? null }));
        return;
      case DEMO_SITE_HOSTS.tracker:
        res.setHeader('Content-Type', url.pathname.endsWith('.js') ? 'text/javascript' : 'image/gif');
        res.end(url.pathname.endsWith('.js') ? 'document.title += " (tracked)";' : Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
        return;
      default:
        res.statusCode = 404;
        res.end();
    }
  });
  return { server, hits };
}

async function answerPages(req: IncomingMessage, res: ServerResponse, url: URL, at: (host: string) => string): Promise<void> {
  const pages = at(DEMO_SITE_HOSTS.pages);
  const cdn = at(DEMO_SITE_HOSTS.cdn);
  const tracker = at(DEMO_SITE_HOSTS.tracker);
  res.setHeader('Set-Cookie', 'demo_pref=large-print; Domain=browse-demo.example; Path=/; HttpOnly');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Demo Library Website</title>
<link rel="stylesheet" href="${cdn}/site.css">
<script src="${tracker}/t.js"></script></head><body>
<header><img id="logo" src="${cdn}/logo.svg" alt="Demo website logo" width="40" height="40"> <a id="home" href="${pages}/">Demo website</a></header>`;
  const foot = `<img id="pixel" src="${tracker}/pixel.gif" alt="" width="1" height="1"><img id="beacon" src="/g/collect?v=2" alt="" width="1" height="1"></body></html>`;
  if (url.pathname === '/search' && req.method === 'POST') {
    const body = new URLSearchParams(await readText(req));
    res.end(`${head}<main><h1>Results</h1><p id="results">Results for ${escapeHtml(body.get('q') ?? '')}</p><a id="back" href="/">Back</a></main>${foot}`);
    return;
  }
  const article = /^\/articles\/(\d+)$/.exec(url.pathname);
  if (article) {
    res.end(`${head}<main><h1 id="article">Article ${article[1]}</h1><p>A rewritten page on its own origin.</p><a id="back" href="/">Back</a></main>${foot}`);
    return;
  }
  if (url.pathname !== '/') {
    res.statusCode = 404;
    res.end(`${head}<main><h1>Not found</h1></main>${foot}`);
    return;
  }
  res.end(`${head}<main><h1>Welcome</h1>
<ul><li><a id="relative" href="/articles/1">Article 1 (relative link)</a></li>
<li><a id="absolute" href="${pages}/articles/2">Article 2 (absolute link)</a></li>
<li><a id="outside" href="${tracker}/elsewhere">Somewhere else</a></li></ul>
<form id="search" action="${pages}/search" method="post"><label>Search <input name="q"></label> <button type="submit">Search</button></form>
<h2>From the API</h2><ul id="items"></ul>
<script src="${cdn}/app.js"></script></main>${foot}`);
}

function answerCdn(res: ServerResponse, url: URL, at: (host: string) => string): void {
  switch (url.pathname) {
    case '/site.css':
      res.setHeader('Content-Type', 'text/css');
      res.end('body { font-family: sans-serif; margin: 2rem; } #items li { color: #234; }');
      return;
    case '/logo.svg':
      res.setHeader('Content-Type', 'image/svg+xml');
      res.end('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="#2a6"/></svg>');
      return;
    case '/app.js':
      res.setHeader('Content-Type', 'text/javascript');
      res.end(`fetch("${at(DEMO_SITE_HOSTS.api)}/v1/items", { credentials: "include" }).then((r) => r.json()).then((data) => {
  const list = document.getElementById("items");
  for (const item of data.items) { const li = document.createElement("li"); li.textContent = item; list.appendChild(li); }
  document.body.dataset.api = "loaded";
}).catch(() => { document.body.dataset.api = "failed"; });`);
      return;
    default:
      res.statusCode = 404;
      res.end();
  }
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
