import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, formatBootMessages } from '../../src/boot.ts';
import { MAX_BRAND_IMAGE_BYTES } from '../../src/settings/read-branding-files.ts';
import { ROOT } from '../helpers/cli.ts';
import { contractYaml, NOW } from '../helpers/contracts.ts';
import { loadDemoBranding } from '../helpers/demo-fixtures.ts';
import { startGateway } from '../helpers/gateway-harness.ts';

/** Bad branding, labels and contract text each stop startup with a problem naming the file, the key, what is wrong and how to fix it. */

let dir: string;
const GOOD = ['branding:', '  libraryName: { en: Test Library, es: Biblioteca de prueba }', '  website: https://library.test/', '  contact: { phone: 555-0100 }', '  forgotPin: https://library.test/pin'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-branding-'));
  await mkdir(join(dir, 'vendors'));
  await mkdir(join(dir, 'vendors-one-language'));
  await writeFile(join(dir, 'vendors', 'test-vendor.yaml'), contractYaml({ purpose: 'purpose: { en: Testing, es: Pruebas }' }));
  await writeFile(join(dir, 'vendors-one-language', 'test-vendor.yaml'), contractYaml({ purpose: 'purpose: { en: Testing }' }));
  await writeFile(join(dir, 'not-an-image.svg'), 'hello, I am text');
  await writeFile(join(dir, 'logo.gif'), 'GIF89a');
  await writeFile(join(dir, 'fake.png'), '<svg></svg>');
  await writeFile(join(dir, 'huge.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(MAX_BRAND_IMAGE_BYTES)}</svg>`);
}, 30_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function bootWith(name: string, lines: string[], options: { production?: boolean; vendors?: string } = {}): Promise<string[]> {
  const file = join(dir, name);
  await writeFile(file, [`publicUrl: http${options.production ? 's' : ''}://gateway.library.test`, `vendorsDir: ${join(dir, options.vendors ?? 'vendors')}`, `patrons: { file: ${join(ROOT, 'config/demo-patrons.yaml')} }`, 'demo: true', ...lines].join('\n'));
  const result = await boot({ settingsFile: file, env: {}, production: options.production ?? false, clock: () => NOW });
  return result.ok ? [] : formatBootMessages(result).filter((line) => line.startsWith('error:'));
}

describe('startup problems for branding, labels and contract text', () => {
  it('good branding boots', async () => {
    expect(await bootWith('good.yaml', GOOD)).toEqual([]);
  });

  it.each([
    ['button text that cannot be read on the accent colour', [...GOOD, '  colours: { accent: "#0b4fa8", accentText: "#3a6bb0" }'], 'branding.colours.accentText: #3a6bb0 on accent #0b4fa8 (the text of filled buttons) has a contrast of'],
    ['light grey text', [...GOOD, '  colours: { text: "#aaaaaa" }'], 'branding.colours.text: #aaaaaa on background #ffffff (page text) has a contrast of 2.32:1, below the 4.5:1 WCAG AA needs for text. Fix: make text darker or lighter against #ffffff'],
    ['a colour that is not a colour', [...GOOD, '  colours: { header: teal }'], 'branding.colours.header: is not in the expected format (regex). Fix: write a colour as #rrggbb (or #rgb), such as #0b4fa8'],
    ['the library name without its Spanish', [...GOOD.filter((l) => !l.includes('libraryName')), '  libraryName: { en: Test Library }'], 'branding.libraryName.es: has no es text, and the gateway shows its pages in en and es. Fix: add es: with the text in that language'],
    ['a logo that is not there', [...GOOD, '  logo: missing/logo.svg'], 'branding.logo: the file cannot be read. Fix: check the path (relative to the settings file)'],
    ['a logo of a kind not served', [...GOOD, '  logo: logo.gif'], 'branding.logo: is not .svg or .png file'],
    ['an .svg logo that is not SVG', [...GOOD, '  logo: not-an-image.svg'], 'branding.logo: the file is not an SVG image (no <svg> element)'],
    ['a .png logo that is not PNG', [...GOOD, '  logo: fake.png'], 'branding.logo: the file is not a PNG image'],
    ['a logo too large', [...GOOD, '  logo: huge.svg'], 'branding.logo: the file is larger than 256 KiB'],
    ['a favicon that is not there', [...GOOD, '  favicon: nowhere.ico'], 'branding.favicon: the file cannot be read'],
    ['no way to reach the library', [...GOOD.filter((l) => !l.includes('contact')), '  contact: {}'], 'branding.contact: names no way to reach the library. Fix: add phone, email or url'],
    ['no forgot-PIN page', GOOD.filter((l) => !l.includes('forgotPin')), 'branding.forgotPin: is required but missing'],
    ['a patron type label without its Spanish', [...GOOD, 'labels:', '  patronTypes: { adult: { en: Adult } }'], 'labels.patronTypes.adult.es: has no es text'],
    ['a label in a language the gateway does not ship', [...GOOD, 'labels:', '  branches: { main: { en: Main, es: Central, fr: Centrale } }'], 'labels.branches.main.fr: "fr" is not a language the gateway ships. Fix: use en or es'],
  ])('%s', async (name, lines, expected) => {
    const errors = await bootWith(`${name.replace(/\W+/g, '-')}.yaml`, lines);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
    expect(errors[0]).toMatch(/^error: .*\.yaml: /);
  });

  it('a contract purpose without its Spanish is a problem on the contract file', async () => {
    const errors = await bootWith('one-language-contract.yaml', GOOD, { vendors: 'vendors-one-language' });
    expect(errors).toEqual([expect.stringMatching(/test-vendor\.yaml: purpose\.es: has no es text, and the gateway shows its pages in en and es\. Fix: add es: with the text in that language, or write one plain text for every language$/)]);
  });

  it('in production, no branding at all is refused (a PIN form on a page without the library’s name)', async () => {
    const errors = await bootWith('production.yaml', ['demo: false'].slice(1), { production: true });
    expect(errors.some((line) => line.includes("branding: is required in production: patrons are asked for their PIN only on a page that carries the library's name"))).toBe(true);
  });

  it('every problem at once: contrast, translation and logo in one run', async () => {
    const errors = await bootWith('all.yaml', [...GOOD.filter((l) => !l.includes('libraryName')), '  libraryName: { en: Test Library }', '  logo: missing.svg', '  colours: { text: "#bbbbbb" }']);
    expect(errors.map((line) => /yaml: ([\w.]+):/.exec(line)?.[1]).sort()).toEqual(['branding.colours.text', 'branding.libraryName.es', 'branding.logo']);
  });
});

describe('the demo branding, served', () => {
  it('the logo and favicon come from the gateway with their type, cached, and unable to run anything; every page links them', async () => {
    const { branding, labels } = loadDemoBranding();
    const gateway = await startGateway({ contracts: { 'test-vendor': contractYaml() }, patrons: [], settings: { branding: branding as never, labels: labels as never } });
    try {
      for (const path of ['/branding/logo', '/branding/favicon']) {
        const response = await fetch(`${gateway.url}${path}`);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('image/svg+xml');
        expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
        expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
        expect(await response.text()).toMatch(/^<svg /);
      }
      const page = await (await fetch(`${gateway.url}/privacy/vendors`, { headers: { 'accept-language': 'es' } })).text();
      expect(page).toContain('<link rel="icon" href="/branding/favicon">');
      expect(page).toContain('<img src="/branding/logo" alt="" width="40" height="40"><span>Biblioteca Pública de Harbor Point</span>');
      expect(page).toContain('<title>Con quién compartimos · Biblioteca Pública de Harbor Point</title>');
      expect(page).toContain('--accent:#0d4f5c');
    } finally {
      await gateway.close();
    }
  });

  it('without a logo, /branding/logo is a plain 404 page', async () => {
    const gateway = await startGateway({ contracts: { 'test-vendor': contractYaml() }, patrons: [] });
    try {
      expect((await fetch(`${gateway.url}/branding/logo`)).status).toBe(404);
    } finally {
      await gateway.close();
    }
  });
});
