import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { CookieJar, followSignIn, readPostedForm, step } from '../helpers/saml-gateway.ts';
import { findFreePort } from '../helpers/free-port.ts';
import { startShippedDemo, type ShippedDemo } from '../helpers/shipped-demo.ts';

/**
 * The embedded demo's SAML side, end to end on the shipped files: `npm start` (main.ts on the
 * shipped config/gateway.yaml with its demo-only SAML key, ports moved to free ones) starts the
 * demo SAML service (built on @node-saml/node-saml) for vendors/journals-saml-demo.yaml; a demo
 * patron signs in to it through the gateway and its page lists the attributes it received. The
 * process runs on the wall clock, so the shipped contracts are copied with dates around today.
 */
let demo: ShippedDemo | undefined;
let gatewayUrl = '';
let spUrl = '';

beforeAll(async () => {
  const shipped = await readFile(join(ROOT, 'config/gateway.yaml'), 'utf8');
  expect(shipped).toMatch(/signingKey: \{ file: demo-only-saml-idp\.key \}/);
  const spPort = await findFreePort();
  spUrl = `http://127.0.0.1:${spPort}`;
  demo = await startShippedDemo({
    name: 'gw-demo-saml',
    // The demo SP's metadata names its fixed port; the copy names a free one.
    prepare: async ({ vendors }) => {
      const metadata = join(vendors, 'journals-saml-demo.metadata.xml');
      await writeFile(metadata, (await readFile(metadata, 'utf8')).replaceAll('127.0.0.1:6031', `127.0.0.1:${spPort}`));
    },
  });
  gatewayUrl = demo.url;
});

afterAll(async () => {
  await demo?.stop();
});

describe('the embedded demo: a demo SAML service signs a patron in through the gateway', () => {
  it('the demo patron signs in, accepts the notice, and the service shows the pairwise id, affiliation and age band it received', async () => {
    const jar = new CookieJar();
    // The demo SP sends the browser to the shipped publicUrl (http://localhost:8080); the test reaches the same path on the real port.
    const login = await fetch(`${spUrl}/login`, { redirect: 'manual' });
    const sso = new URL(login.headers.get('location') ?? '');
    expect(`${sso.origin}${sso.pathname}`).toBe('http://localhost:8080/saml/sso');
    const first = await step(jar, `${gatewayUrl}${sso.pathname}${sso.search}`);
    const end = await followSignIn(gatewayUrl, jar, first, { barcode: '29000000000001', pin: '1111' });
    expect(end.status).toBe(200);
    const form = readPostedForm(end.text);
    expect(form.action).toBe(`${spUrl}/acs`);
    const page = await fetch(form.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLResponse: form.SAMLResponse, ...(form.RelayState !== undefined ? { RelayState: form.RelayState } : {}) }).toString() });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('identity provider sent (the validated SAML assertion)');
    expect(html).toMatch(/urn:oasis:names:tc:SAML:attribute:pairwise-id<\/th><td><code>[a-z2-7]{32}@demo\.library\.example/);
    expect(html).toContain('member@demo.library.example');
    expect(html).toContain('18+');
    expect(html).not.toContain('ada.demo@example.org');
    expect(html).not.toContain('Demo-Patron');
  });
});
