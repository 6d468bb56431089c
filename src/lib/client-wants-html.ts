import type { IncomingMessage } from 'node:http';

/** True for a browser navigation (a GET or HEAD whose Accept names text/html), which gets pages and redirects; everything else gets JSON. */
export function clientWantsHtml(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return false;
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html');
}
