import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';

/**
 * The front page: services by display name in the patron's language, grouped by kind, closed ones
 * marked and not linked, and a server-side search (a GET form: the pages run no script) once
 * there are more than ten.
 */

const UPSTREAM = 'http://127.0.0.1:9';
const contract = (id: string, name: string, kind: 'econtent' | 'database', purpose: string, expires = '2027-12-31') =>
  testContract(id, UPSTREAM, 'identity: { delivery: none }').replace(/^name: .*$/m, `name: ${name}`).replace('kind: econtent', `kind: ${kind}`).replace('purpose: Testing', `purpose: ${purpose}`).replace('expires: 2027-12-31', `expires: ${expires}`);

const FEW = {
  'zeta-films': contract('zeta-films', 'Zeta Films', 'econtent', '{ en: Stream films, es: Ver películas }'),
  'alpha-books': contract('alpha-books', 'Alpha Books', 'econtent', '{ en: Borrow books, es: Tomar prestados libros }'),
  'old-journals': contract('old-journals', 'Old Journals', 'database', '{ en: Read journals, es: Leer revistas }', '2026-10-31'),
  'beta-articles': contract('beta-articles', 'Beta Articles', 'database', '{ en: Search articles, es: Buscar artículos }'),
  grant: testContract('grant', UPSTREAM, 'identity: { delivery: none }').replace('kind: econtent', 'kind: grant').replace(/^upstream: .*$/m, 'report: { dimensions: [{ name: age, from: birthDate, generalize: ageBand }], measures: [participants] }'),
};
const MANY = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`extra-${i}`, contract(`extra-${i}`, `Extra Service ${i}`, 'econtent', `{ en: Extra número ${i}, es: Extra número ${i} }`)]));

let few: Harness;
let many: Harness;
beforeAll(async () => {
  few = await startGateway({ contracts: FEW, patrons: [] });
  many = await startGateway({ contracts: { ...FEW, ...MANY, 'cafe-events': contract('cafe-events', 'Café Événements', 'econtent', '{ en: Book a café table, es: Reservar una mesa }') }, patrons: [] });
}, 30_000);
afterAll(async () => {
  await few?.close();
  await many?.close();
});

const page = async (harness: Harness, query = '', lang = 'en') => (await fetch(`${harness.url}/${query}`, { headers: { 'accept-language': lang } })).text();
const listed = (html: string) => [...html.matchAll(/<li data-vendor="([^"]+)"/g)].map((m) => m[1]);

describe('the front page', () => {
  it('groups services by kind, sorts them by display name, leaves grants out, and marks a closed one without linking it', async () => {
    const html = await page(few);
    expect(listed(html)).toEqual(['alpha-books', 'zeta-films', 'beta-articles', 'old-journals']);
    expect(html.indexOf('E-books, audiobooks and streaming')).toBeLessThan(html.indexOf('Research databases'));
    expect(html).toContain('<li data-vendor="alpha-books"><a href="/v/alpha-books/">Alpha Books</a>: Borrow books</li>');
    expect(html).toContain('<li data-vendor="old-journals" data-closed="yes"><span>Old Journals</span> <span class="closed">Closed: the library’s agreement with this service is not in force</span></li>');
    expect(html).not.toContain('href="/v/old-journals/"');
    expect(html).not.toContain('data-vendor="grant"');
    expect(html).not.toContain('role="search"');
  });

  it('shows each purpose in the patron’s language', async () => {
    expect(await page(few, '', 'es')).toContain('<a href="/v/alpha-books/">Alpha Books</a>: Tomar prestados libros</li>');
  });

  it('offers a search once there are more than ten services', async () => {
    const html = await page(many);
    expect(html).toContain('<form method="get" action="/" role="search"><label for="q">Find a service</label><input type="search" id="q" name="q" value="" maxlength="100">');
    expect(listed(html)).toHaveLength(14);
  });

  it.each([
    ['a word of the name', '?q=zeta', ['zeta-films'], '1 service matches “zeta”.'],
    ['a word of the purpose, any case', '?q=ARTICLES', ['beta-articles'], '1 service matches “ARTICLES”.'],
    ['without its accents', '?q=cafe%20evenements', ['cafe-events'], '1 service matches “cafe evenements”.'],
    ['with accents the name does not have', '?q=n%C3%BAmero%201', ['extra-1'], '1 service matches “número 1”.'],
    ['several matches', '?q=extra%20service%20', MANY_IDS(), '9 services match “extra service”.'],
    ['nothing', '?q=nothing-like-it', [], 'No service matches “nothing-like-it”.'],
  ])('finds services by %s', async (_name, query, ids, status) => {
    const html = await page(many, query);
    expect(listed(html).sort()).toEqual([...ids].sort());
    expect(html).toContain(`<p role="status">${status} <a href="/">Show all services</a></p>`);
  });

  it.each([
    ['markup is shown as text, never as markup', '?q=%3Cimg%20src%3Dx%3E', '&#60;img src=x&#62;'],
    ['a repeated parameter is no search', '?q=a&q=b', ''],
    ['a very long search is cut to 100 characters', `?q=${'x'.repeat(500)}`, 'x'.repeat(100)],
  ])('bad input: %s', async (_name, query, shown) => {
    const html = await page(many, query);
    expect(html).toContain(`name="q" value="${shown}"`);
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('x'.repeat(101));
  });

  it('a search on a short list is ignored (there is no form to send it)', async () => {
    expect(listed(await page(few, '?q=zeta'))).toHaveLength(4);
  });
});

function MANY_IDS(): string[] {
  return Object.keys(MANY);
}
