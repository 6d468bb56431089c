import { describe, expect, it } from 'vitest';
import { readDestination, renderLeavingPage } from '../../../../src/web/leaving/leaving-page.ts';
import { buildLeavingPath, LEAVING_PATH, MAX_DESTINATION_LENGTH } from '../../../../src/web/leaving/leaving-path.ts';
import { en } from '../../../../src/web/messages/en.ts';
import { es } from '../../../../src/web/messages/es.ts';

describe('readDestination', () => {
  it.each<[string, unknown, { text?: string; href?: string }]>([
    ['an https URL is shown and linked, as the URL parser writes it', 'HTTPS://Example.org/a b', { text: 'https://example.org/a%20b', href: 'https://example.org/a%20b' }],
    ['an http URL is shown and linked', 'http://example.org/', { text: 'http://example.org/', href: 'http://example.org/' }],
    ['javascript: is shown, never linked', 'javascript:alert(1)', { text: 'javascript:alert(1)' }],
    ['data: is shown, never linked', 'data:text/html,x', { text: 'data:text/html,x' }],
    ['a mailto: is shown, never linked', 'mailto:a@example.org', { text: 'mailto:a@example.org' }],
    ['something unparseable is shown as it is', 'http://[bad', { text: 'http://[bad' }],
    ['a relative path is not a destination the page can place: shown only', '/me/sharing', { text: '/me/sharing' }],
    ['nothing is nothing', undefined, {}],
    ['an empty value is nothing', '', {}],
    ['a repeated parameter (an array) is nothing', ['https://a.example/', 'https://b.example/'], {}],
    ['a value too long to show is nothing', `https://example.org/${'a'.repeat(MAX_DESTINATION_LENGTH)}`, {}],
  ])('%s', (_name, to, expected) => {
    expect(readDestination(to)).toEqual(expected);
  });

  it('a value exactly as long as allowed is still shown', () => {
    const to = `https://example.org/${'a'.repeat(MAX_DESTINATION_LENGTH - 'https://example.org/'.length)}`;
    expect(readDestination(to)).toEqual({ text: to, href: to });
  });
});

describe('renderLeavingPage', () => {
  it('an http(s) destination: the explanation, the address as text, and one plain link to it', () => {
    const page = renderLeavingPage({ m: en, to: 'https://example.org/x?a=1&b="2"' });
    expect(page).toContain('<h1>You are leaving the library&#39;s protection</h1>');
    expect(page).toContain('<code data-destination>https://example.org/x?a=1&#38;b=%222%22</code>');
    expect(page).toContain('<a href="https://example.org/x?a=1&#38;b=%222%22" rel="noreferrer noopener">Go to this site anyway</a>');
    expect(page).not.toContain(en.leaving.notLinkable);
    expect(page).not.toContain(en.leaving.unknown);
    expect(page).not.toMatch(/<script|http-equiv|<meta[^>]+refresh/i);
  });

  it('a destination that may not be linked: shown as text, escaped, with no link and a sentence saying why', () => {
    const page = renderLeavingPage({ m: en, to: 'javascript:alert("<b>")' });
    expect(page).toContain('<code data-destination>javascript:alert(&#34;&#60;b&#62;&#34;)</code>');
    expect(page).toContain(en.leaving.notLinkable);
    expect(page).not.toContain(en.leaving.go);
    expect(page).not.toContain('href="javascript');
  });

  it('no destination: says the service gave none, shows and links nothing', () => {
    const page = renderLeavingPage({ m: en, to: undefined });
    expect(page).toContain(en.leaving.unknown);
    expect(page).not.toContain('data-destination');
    expect(page).not.toContain(en.leaving.go);
    expect(page).toContain(`<a href="/">${en.leaving.back}</a>`);
    // The language switch comes back to the front page (the destination is not carried around).
    expect(page).toContain('href="/language/es?next=%2F"');
  });

  it('speaks the patron\'s language', () => {
    expect(renderLeavingPage({ m: es, to: 'https://example.org/' })).toContain(es.leaving.go);
  });
});

describe('buildLeavingPath', () => {
  it('carries the destination percent-encoded, or nothing when it is too long to show', () => {
    expect(LEAVING_PATH).toBe('/leaving');
    expect(buildLeavingPath('https://a.example/?x=1&y=2#z')).toBe('/leaving?to=https%3A%2F%2Fa.example%2F%3Fx%3D1%26y%3D2%23z');
    expect(buildLeavingPath('x'.repeat(MAX_DESTINATION_LENGTH))).toBe(`/leaving?to=${'x'.repeat(MAX_DESTINATION_LENGTH)}`);
    expect(buildLeavingPath('x'.repeat(MAX_DESTINATION_LENGTH + 1))).toBe('/leaving');
  });
});
