import { createServer, type Server } from 'node:http';
import { LRUCache } from 'lru-cache';
import * as client from 'openid-client';
import { escapeHtml } from '../lib/html.ts';

export interface DemoRelyingPartyOptions {
  /** The vendor's display name. */
  readonly name: string;
  /** The gateway's OpenID Connect issuer (`{publicUrl}/oidc`). */
  readonly issuer: string;
  readonly clientId: string;
  /** The demo client's secret (the demo-only one; the gateway refuses it outside demo mode). */
  readonly clientSecret: string;
  /** This server's callback, as the contract registers it. */
  readonly redirectUri: string;
}

/**
 * The embedded demo's OpenID Connect vendor: a relying party on loopback, built on openid-client
 * (not the gateway's code), that signs patrons in with the library and shows on a page every claim
 * of the ID token it received, so anyone trying the gateway sees exactly what a vendor learns.
 * Pending sign-ins (PKCE verifier and nonce, by state) are held in a small bounded map. Never
 * started when NODE_ENV=production.
 */
export function createDemoRelyingParty(options: DemoRelyingPartyOptions): Server {
  const pending = new LRUCache<string, { verifier: string; nonce: string }>({ max: 100, ttl: 600_000 });
  let configuration: Promise<client.Configuration> | undefined;
  const discover = (): Promise<client.Configuration> => {
    configuration ??= client.discovery(new URL(options.issuer), options.clientId, undefined, client.ClientSecretBasic(options.clientSecret), { execute: [client.allowInsecureRequests] }).catch((error: unknown) => {
      configuration = undefined;
      throw error;
    });
    return configuration;
  };
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', options.redirectUri);
    const send = (status: number, body: string): void => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(renderPage(options.name, body));
    };
    void (async () => {
      if (url.pathname === '/login') {
        const config = await discover();
        const verifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        pending.set(state, { verifier, nonce });
        const target = client.buildAuthorizationUrl(config, { redirect_uri: options.redirectUri, scope: 'openid profile email', state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
        res.statusCode = 303;
        res.setHeader('Location', target.href);
        res.end();
        return;
      }
      if (url.pathname === new URL(options.redirectUri).pathname) {
        const state = url.searchParams.get('state') ?? '';
        const started = pending.get(state);
        pending.delete(state);
        if (url.searchParams.has('error')) {
          send(200, `<p>The library did not sign you in: <code>${escapeHtml(url.searchParams.get('error') ?? '')}</code>. Nothing about you was received.</p><p><a href="/login">Try again</a></p>`);
          return;
        }
        if (started === undefined) {
          send(400, '<p>This sign-in is unknown or has expired.</p><p><a href="/login">Sign in with the library</a></p>');
          return;
        }
        const tokens = await client.authorizationCodeGrant(await discover(), url, { pkceCodeVerifier: started.verifier, expectedState: state, expectedNonce: started.nonce });
        const claims = tokens.claims() ?? {};
        const rows = Object.entries(claims)
          .map(([name, value]) => `<tr><th scope="row"><code>${escapeHtml(name)}</code></th><td><code>${escapeHtml(JSON.stringify(value))}</code></td></tr>`)
          .join('');
        send(200, `<p>Signed in with the library. This is everything the ID token told us about you:</p><table>${rows}</table><p><a href="/login">Sign in again</a></p>`);
        return;
      }
      send(200, `<p>This demo service lets library patrons sign in with their library (OpenID Connect).</p><p><a href="/login">Sign in with the library</a></p>`);
    })().catch(() => send(502, '<p>The sign-in could not be completed. Is the gateway running?</p><p><a href="/login">Try again</a></p>'));
  });
}

function renderPage(name: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(name)} (demo vendor)</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem}th,td{text-align:left;padding:.3rem;border-bottom:1px solid #ccc}</style></head>
<body><h1>${escapeHtml(name)} <small>(demo vendor, OpenID Connect)</small></h1>${body}</body></html>`;
}
