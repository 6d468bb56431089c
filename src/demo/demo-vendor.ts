import { createServer, type IncomingMessage, type Server } from 'node:http';
import { decodeJwt } from 'jose';
import { escapeHtml } from '../lib/html.ts';

/**
 * The embedded demo's vendor: a loopback server that shows, on a page, every part of every request
 * it receives (method, path, query, headers, body, and the decoded assertion), so anyone trying
 * the gateway sees exactly what a vendor learns. It sets a cookie to show cookie scoping, and has
 * a search box to try the patron-value guard. Never started when NODE_ENV=production.
 */
export function createDemoVendorServer(options: { name: string }): Server {
  return createServer(async (req, res) => {
    const body = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const record = describeRequest(req, url, body);
    const visits = Number(/(?:^|;\s*)demo_visits=(\d+)/.exec(req.headers.cookie ?? '')?.[1] ?? '0') + 1;
    res.setHeader('Set-Cookie', `demo_visits=${visits}; Path=/; HttpOnly; Domain=127.0.0.1`);
    if ((req.headers.accept ?? '').includes('application/json') || url.pathname.endsWith('.json')) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(record));
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(renderPage(options.name, record, visits));
  });
}

interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  assertion: Record<string, unknown> | null;
}

function describeRequest(req: IncomingMessage, url: URL, body: string): ReceivedRequest {
  const query: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
  let assertion: Record<string, unknown> | null = null;
  const authorization = req.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    try {
      assertion = decodeJwt(authorization.slice(7)) as Record<string, unknown>;
    } catch {
      assertion = { error: 'not a JWT' };
    }
  }
  return { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, body, assertion };
}

function renderPage(name: string, record: ReceivedRequest, visits: number): string {
  const rows = (entries: Array<[string, unknown]>): string =>
    entries.length === 0 ? '<tr><td colspan="2"><em>nothing</em></td></tr>' : entries.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td><code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</code></td></tr>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(name)} (demo vendor)</title>
<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.5}table{border-collapse:collapse;width:100%}th,td{text-align:left;border-bottom:1px solid #ddd;padding:.3rem;vertical-align:top}code{word-break:break-all}</style></head>
<body><main><h1>${escapeHtml(name)}</h1><p>This is the gateway's <strong>demo vendor</strong>. It shows everything it received in your request, which is everything a real vendor would learn about you.</p>
<h2>The assertion about you</h2><table>${rows(Object.entries(record.assertion ?? {}))}</table>
<h2>Request</h2><table>${rows([['method', record.method], ['path', record.path], ['visits (a vendor cookie)', String(visits)]])}</table>
<h2>Query</h2><table>${rows(Object.entries(record.query))}</table>
<h2>Headers</h2><table>${rows(Object.entries(record.headers))}</table>
<h2>Body</h2><pre>${escapeHtml(record.body) || '<em>none</em>'}</pre>
<h2>Try it</h2><form method="get" action="search"><label for="q">Search the catalogue (try typing your card number)</label> <input id="q" name="q"> <button>Search</button></form>
</main></body></html>`;
}

async function readAll(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1024 * 1024) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
