import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeSamlSp } from '../helpers/saml-sp.ts';
import { CookieJar, followSignIn, readPostedForm, SAML_NOW, startSamlGateway, step, type SamlGateway } from '../helpers/saml-gateway.ts';

/**
 * Requests the SAML identity provider refuses over real HTTP, each with a clear error (400,
 * saml_request_refused, the reason code in the log) and nothing posted to any service; and the
 * replays: a request ID twice, a pending request answered twice, a response validated twice by
 * node-saml (its InResponseTo cache).
 */
const PATRON = { record: { patronId: 'p-1', barcode: '21000000000009', firstName: 'Ada', lastName: 'Byron', birthDate: '1990-05-01', patronType: 'adult' }, pin: '1234' };
const SP = { entityId: 'https://db.example/sp', acsUrl: 'https://db.example/acs', signRequests: true };
let gateway: SamlGateway;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: SAML_NOW });
  gateway = await startSamlGateway([{ id: 'db', sp: SP, body: 'preset: pseudonymous' }], [PATRON]);
});
afterAll(async () => {
  await gateway.harness.close();
  vi.useRealTimers();
});

const spWith = (overrides: Record<string, unknown> = {}, binding: 'HTTP-Redirect' | 'HTTP-POST' = 'HTTP-Redirect') =>
  createNodeSamlSp({ ...SP, certificate: gateway.spCertificates.get('db'), gatewayUrl: gateway.harness.url, idpCertBase64: gateway.idp.certBase64, binding, overrides: { skipRequestCompression: binding === 'HTTP-POST', ...overrides } }).saml;

async function expectRefused(response: Response, reason: string): Promise<void> {
  const body = (await response.json()) as { error: string; message: string };
  expect(response.status).toBe(400);
  expect(body.error).toBe('saml_request_refused');
  expect(body.message).not.toContain('http');
  expect(gateway.harness.logs.at(-1)).toContain(`"code":"${reason}"`);
}

const json = { accept: 'application/json' };

describe('refused AuthnRequests', () => {
  it('an unknown SP (its Issuer is in no contract)', async () => {
    const url = await spWith({ issuer: 'https://stranger.example/sp' }).getAuthorizeUrlAsync('', undefined, {});
    await expectRefused(await fetch(url, { headers: json, redirect: 'manual' }), 'unknown-sp');
  });

  it('a wrong ACS (not exactly one of the metadata\'s)', async () => {
    const url = await spWith({ callbackUrl: 'https://db.example/acs/' }).getAuthorizeUrlAsync('', undefined, {});
    await expectRefused(await fetch(url, { headers: json, redirect: 'manual' }), 'acs');
  });

  it('a tampered query-string signature', async () => {
    const url = new URL(await spWith().getAuthorizeUrlAsync('', undefined, {}));
    const signature = url.searchParams.get('Signature') ?? '';
    url.searchParams.set('Signature', `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
    await expectRefused(await fetch(url, { headers: json, redirect: 'manual' }), 'signature-invalid');
  });

  it('a RelayState added after signing (it is part of the signed text)', async () => {
    const url = `${await spWith().getAuthorizeUrlAsync('', undefined, {})}&RelayState=evil`;
    await expectRefused(await fetch(url, { headers: json, redirect: 'manual' }), 'signature-invalid');
  });

  it('an unsigned request from an SP whose metadata says it signs', async () => {
    const url = new URL(await spWith().getAuthorizeUrlAsync('', undefined, {}));
    url.searchParams.delete('Signature');
    url.searchParams.delete('SigAlg');
    await expectRefused(await fetch(url, { headers: json, redirect: 'manual' }), 'signature-missing');
  });

  it('a tampered signed HTTP-POST request', async () => {
    const message = (await spWith({}, 'HTTP-POST').getAuthorizeMessageAsync('', undefined, {})) as Record<string, string>;
    const xml = Buffer.from(message['SAMLRequest'] ?? '', 'base64').toString('utf8').replace('https://db.example/acs', 'https://evil.example/acs');
    const response = await fetch(`${gateway.harness.url}/saml/sso`, { method: 'POST', headers: { ...json, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64') }).toString() });
    await expectRefused(response, 'signature-invalid');
  });

  it('an XXE document (a DOCTYPE with an external entity)', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&e;</samlp:AuthnRequest>`;
    const response = await fetch(`${gateway.harness.url}/saml/sso`, { method: 'POST', headers: { ...json, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLRequest: Buffer.from(xml).toString('base64') }).toString() });
    await expectRefused(response, 'dtd');
  });

  it('an oversized SAMLRequest on HTTP-POST (over 96 KiB encoded)', async () => {
    const response = await fetch(`${gateway.harness.url}/saml/sso`, { method: 'POST', headers: { ...json, 'content-type': 'application/x-www-form-urlencoded' }, body: `SAMLRequest=${'A'.repeat(98 * 1024)}` });
    await expectRefused(response, 'too-large');
  });

  it('an oversized HTTP-Redirect URL is refused by the HTTP server before any parsing', async () => {
    const response = await fetch(`${gateway.harness.url}/saml/sso?SAMLRequest=${'A'.repeat(100 * 1024)}`, { headers: json, redirect: 'manual' });
    expect(response.status).toBe(431);
  });

  it('a request whose deflated XML inflates past 64 KiB (a zip bomb)', async () => {
    const { deflateRawSync } = await import('node:zlib');
    const bomb = deflateRawSync(Buffer.from(`<a>${' '.repeat(1024 * 1024)}</a>`)).toString('base64');
    await expectRefused(await fetch(`${gateway.harness.url}/saml/sso?SAMLRequest=${encodeURIComponent(bomb)}`, { headers: json, redirect: 'manual' }), 'too-large');
  });

  it('a request without SAMLRequest', async () => {
    await expectRefused(await fetch(`${gateway.harness.url}/saml/sso`, { headers: json, redirect: 'manual' }), 'missing-request');
  });

  it('a stale request (its IssueInstant older than requestMaxAgeSeconds on the gateway\'s clock)', async () => {
    const url = await spWith().getAuthorizeUrlAsync('', undefined, {});
    gateway.harness.clock.now = new Date(SAML_NOW.getTime() + 301_000);
    try {
      await expectRefused(await fetch(url, { headers: json, redirect: 'manual' }), 'stale');
    } finally {
      gateway.harness.clock.now = SAML_NOW;
    }
  });

  it('a resume URL that was tampered with', async () => {
    await expectRefused(await fetch(`${gateway.harness.url}/saml/resume?r=eyJ2IjoiZGIifQ.AAAA`, { headers: json, redirect: 'manual' }), 'missing-request');
  });
});

describe('replays', () => {
  it('the same request twice: the first goes on to sign-in, the second is refused', async () => {
    const url = await spWith().getAuthorizeUrlAsync('', undefined, {});
    const first = await fetch(url, { redirect: 'manual' });
    expect(first.status).toBe(303);
    await expectRefused(await fetch(url, { headers: json, redirect: 'manual' }), 'replayed');
  });

  it('a request answered once is not answered again, and node-saml refuses the same response twice', async () => {
    const saml = spWith();
    const jar = new CookieJar();
    const first = await step(jar, await saml.getAuthorizeUrlAsync('', undefined, {}));
    const end = await followSignIn(gateway.harness.url, jar, first, { barcode: PATRON.record.barcode, pin: PATRON.pin });
    expect(end.status).toBe(200);
    const form = readPostedForm(end.text);
    await saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse });
    await expect(saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse })).rejects.toThrow(/InResponseTo/);
    const resume = end.visited.filter((path) => path === '/saml/resume').length;
    expect(resume).toBeGreaterThan(0);
    // The resume URL the patron came back to, once more: already answered.
    const again = await fetch(`${gateway.harness.url}${new URL(first.headers.get('location') ?? '', gateway.harness.url).searchParams.get('next') ?? ''}`, { headers: { ...json, cookie: jar.header() }, redirect: 'manual' });
    await expectRefused(again, 'replayed');
  });
});
