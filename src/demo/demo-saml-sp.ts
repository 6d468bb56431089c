import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { escapeHtml } from '../lib/html.ts';

/** Where the demo SP is and whom it trusts. */
export interface DemoSamlSpOptions {
  /** The service's name, from its contract. */
  readonly name: string;
  /** Its entity id (from its metadata file). */
  readonly entityId: string;
  /** Its ACS (from its metadata file): the demo SP listens on this URL's port. */
  readonly acsUrl: string;
  /** The gateway's SSO URL and certificate (DER, base64). */
  readonly ssoUrl: string;
  readonly idpEntityId: string;
  readonly idpCertificateBase64: string;
}

/**
 * The embedded demo's SAML service provider: a loopback server built on @node-saml/node-saml (not
 * the gateway's code) with a "Sign in with your library" link that sends an AuthnRequest to the
 * gateway, and an ACS that validates the signed Response and shows, on a page, every attribute it
 * received. Never started when NODE_ENV=production.
 */
export function createDemoSamlSp(options: DemoSamlSpOptions): Server {
  const saml = new SAML({
    entryPoint: options.ssoUrl,
    issuer: options.entityId,
    callbackUrl: options.acsUrl,
    idpCert: options.idpCertificateBase64,
    idpIssuer: options.idpEntityId,
    audience: options.entityId,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: true,
    validateInResponseTo: ValidateInResponseTo.always,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
  });
  const acsPath = new URL(options.acsUrl).pathname;
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', options.acsUrl);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    try {
      if (req.method === 'GET' && url.pathname === '/login') {
        res.statusCode = 302;
        res.setHeader('Location', await saml.getAuthorizeUrlAsync('demo', undefined, {}));
        res.end();
      } else if (req.method === 'POST' && url.pathname === acsPath) {
        const form = Object.fromEntries(new URLSearchParams(await readAll(req)));
        const { profile } = await saml.validatePostResponseAsync(form);
        res.end(renderPage(options.name, profile === null ? 'No profile' : undefined, profile as Record<string, unknown> | null));
      } else {
        res.end(renderPage(options.name, undefined, undefined));
      }
    } catch (error) {
      res.statusCode = 400;
      res.end(renderPage(options.name, error instanceof Error ? error.message : String(error), undefined));
    }
  });
}

async function readAll(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) {
    text += String(chunk);
    if (text.length > 256 * 1024) throw new Error('the response is too large');
  }
  return text;
}

function renderPage(name: string, error: string | undefined, profile: Record<string, unknown> | null | undefined): string {
  const rows =
    profile === undefined || profile === null
      ? ''
      : Object.entries(profile)
          .filter(([key]) => !['getAssertion', 'getAssertionXml', 'getSamlResponseXml'].includes(key))
          .map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td><code>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</code></td></tr>`)
          .join('');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}th{text-align:left;padding-right:1rem;vertical-align:top}code{word-break:break-all}</style></head><body>` +
    `<h1>${escapeHtml(name)}</h1><p>A demo SAML service provider (built on @node-saml/node-saml), the way a journal database signs library patrons in.</p>` +
    (error !== undefined ? `<p role="alert"><strong>Sign-in failed:</strong> ${escapeHtml(error)}</p>` : '') +
    (rows !== '' ? `<h2>What the library's identity provider sent (the validated SAML assertion)</h2><table>${rows}</table>` : '') +
    `<p><a href="/login">Sign in with your library</a></p></body></html>`
  );
}
