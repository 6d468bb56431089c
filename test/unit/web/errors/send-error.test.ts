import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from '../../../../src/errors/error-catalogue.ts';
import { GatewayError } from '../../../../src/errors/gateway-error.ts';
import { sendError } from '../../../../src/web/errors/send-error.ts';
import { CATALOGUES, chooseLanguage } from '../../../../src/web/messages/choose-language.ts';

// A real server that answers /CODE with that error, as the gateway does, echoing nothing it was sent.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const [, code, redirect] = /^\/([a-z_]+)(\/redirect)?/.exec(req.url ?? '') ?? [];
    const error = new GatewayError(code as ErrorCode, {
      detail: 'operator detail with canary-host.example',
      ...(code === 'notice_required' ? { notice: '/notices/books' } : {}),
      ...(redirect ? { redirectTo: '/login?next=%2Fv%2Fbooks%2F' } : {}),
    });
    sendError(req, res, chooseLanguage(req), error, 'Books Vendor');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('every error of the catalogue, in every language', () => {
  const cases = ERROR_CODES.flatMap((code) => [...CATALOGUES.keys()].map((lang) => [code, lang] as const));
  it.each(cases)('%s in %s: the catalogue decides status and headers, the message catalogue the words (API clients get JSON, browsers a page)', async (code, lang) => {
    const entry = ERROR_CATALOGUE[code];
    const m = CATALOGUES.get(lang);
    const publicCode = entry.expose ? code : 'internal';
    const json = await fetch(`${base}/${code}?canary=secret-query`, { headers: { accept: 'application/json', 'accept-language': lang } });
    expect(json.status).toBe(entry.status);
    for (const [name, value] of Object.entries('headers' in entry ? entry.headers : {})) expect(json.headers.get(name)).toBe(value);
    const body = (await json.json()) as Record<string, unknown>;
    expect(body).toEqual({ error: publicCode, message: m?.errors[publicCode].message, ...(code === 'notice_required' ? { notice: '/notices/books' } : {}) });
    const page = await fetch(`${base}/${code}?canary=secret-query`, { method: 'POST', headers: { accept: 'text/html', 'accept-language': lang } });
    expect(page.status).toBe(entry.status);
    const text = await page.text();
    expect(text).toContain(`lang="${lang}"`);
    expect(text).toContain(m?.errors[publicCode].title.replace(/'/g, '&#39;'));
    // Nothing from the request or the operator's detail is echoed.
    for (const leaked of [JSON.stringify(body), text]) expect(leaked).not.toMatch(/canary|secret-query|127\.0\.0\.1/);
  });

  it('a browser navigating with GET is sent where the error says (303), an API client gets the status', async () => {
    const browser = await fetch(`${base}/not_authenticated/redirect`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/login?next=%2Fv%2Fbooks%2F');
    const api = await fetch(`${base}/not_authenticated/redirect`, { headers: { accept: 'application/json' }, redirect: 'manual' });
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toBe('Cookie realm="library"');
  });

  it('every code has a title and a message in every language (no empty text falls through)', () => {
    for (const m of CATALOGUES.values()) for (const code of ERROR_CODES) expect(m.errors[code].title.length * m.errors[code].message.length).toBeGreaterThan(0);
  });
});
