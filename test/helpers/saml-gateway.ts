/**
 * A gateway with SAML vendors for the integration tests: the IdP's RSA key and certificate and
 * each SP's made per run, the SP metadata next to the contracts, and a browser-like driver that
 * follows the real flow over HTTP (SSO endpoint, sign-in form, notice, the auto-posted form).
 */
import { createRsaCertificate, renderSpMetadata, type RsaCertificate, type TestSpOptions } from './saml-sp.ts';
import { startGateway, type Harness, type TestPatron } from './gateway-harness.ts';

export const SAML_NOW = new Date('2026-11-29T12:00:00Z');
export const SCOPE = 'library.test';

/** A SAML vendor of the test gateway: its contract body (fields, minors, identity.saml extras) and its SP. */
export interface SamlVendor {
  readonly id: string;
  readonly sp: TestSpOptions;
  /** YAML after `identity:` ... (fields, preset, minors). */
  readonly body: string;
  /** Extra keys under identity.saml (YAML lines, indented by four spaces). */
  readonly samlExtra?: string;
}

export interface SamlGateway {
  readonly harness: Harness;
  readonly idp: RsaCertificate;
  readonly spCertificates: ReadonlyMap<string, RsaCertificate>;
}

export function samlContract(vendor: SamlVendor): string {
  return `id: ${vendor.id}
name: ${vendor.id} display name
kind: database
purpose: Testing SAML
contract: { reference: T-${vendor.id}, effective: 2026-01-01, expires: 2027-12-31 }
identity:
  delivery: saml
  saml:
    metadata: ${vendor.id}.metadata.xml
${vendor.samlExtra ?? ''}
${vendor.body}`;
}

export async function startSamlGateway(vendors: ReadonlyArray<SamlVendor>, patrons: ReadonlyArray<TestPatron>, options: { readonly affiliations?: Record<string, string> } = {}): Promise<SamlGateway> {
  const idp = createRsaCertificate('test saml idp');
  const spCertificates = new Map<string, RsaCertificate>();
  const vendorFiles: Record<string, string> = {};
  const contracts: Record<string, string> = {};
  for (const vendor of vendors) {
    const certificate = vendor.sp.certificate ?? createRsaCertificate(`sp ${vendor.id}`);
    spCertificates.set(vendor.id, certificate);
    vendorFiles[`${vendor.id}.metadata.xml`] = renderSpMetadata(vendor.sp, certificate);
    contracts[vendor.id] = samlContract(vendor);
  }
  const harness = await startGateway({
    contracts,
    vendorFiles,
    patrons,
    clock: { now: SAML_NOW },
    env: { GW_SAML_KEY: idp.key, GW_SAML_CERT: idp.cert },
    settings: { saml: { scope: SCOPE, signingKey: { env: 'GW_SAML_KEY' }, certificate: { env: 'GW_SAML_CERT' }, affiliations: options.affiliations ?? { adult: 'member', staff: 'staff' } } } as never,
  });
  return { harness, idp, spCertificates };
}

/** A browser's cookie jar, enough for the gateway's cookies. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const equals = (pair ?? '').indexOf('=');
      if (equals > 0) this.cookies.set((pair ?? '').slice(0, equals), (pair ?? '').slice(equals + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** The auto-posted form the gateway answers with: where it goes and what it carries. */
export interface PostedForm {
  readonly action: string;
  readonly SAMLResponse: string;
  readonly RelayState?: string;
}

export function readPostedForm(html: string): PostedForm {
  const decode = (text: string): string => text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&');
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const response = /name="SAMLResponse" value="([^"]+)"/.exec(html)?.[1];
  const relay = /name="RelayState" value="([^"]*)"/.exec(html)?.[1];
  if (action === undefined || response === undefined) throw new Error(`not a SAML POST form: ${html.slice(0, 200)}`);
  return { action: decode(action), SAMLResponse: decode(response), ...(relay !== undefined ? { RelayState: decode(relay) } : {}) };
}

/** One step of the browser: a request without following redirects, cookies kept. */
export async function step(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string> | undefined), cookie: jar.header() } });
  jar.store(response);
  return response;
}

/**
 * Follows redirects within the gateway the way a browser would, signing in through the real form
 * and deciding on the notice (accept with these consents, or decline), until the gateway answers
 * with a page; returns that last response and its text.
 */
export async function followSignIn(gatewayUrl: string, jar: CookieJar, first: Response, patron: { barcode: string; pin: string }, notice: { decision: 'accept' | 'decline'; consents?: ReadonlyArray<string> } = { decision: 'accept' }): Promise<{ status: number; text: string; visited: string[] }> {
  let response = first;
  const visited: string[] = [];
  for (let hops = 0; hops < 10; hops++) {
    if (response.status !== 303 && response.status !== 302) return { status: response.status, text: await response.text(), visited };
    await response.arrayBuffer();
    const location = new URL(response.headers.get('location') ?? '/', gatewayUrl);
    visited.push(location.pathname);
    if (location.pathname === '/login') {
      // The sign-in page first clears what a previous visit left (a 303 to itself with cleared=1).
      let page = await step(jar, location.href);
      let at = location;
      while (page.status === 303) {
        await page.arrayBuffer();
        at = new URL(page.headers.get('location') ?? '/', gatewayUrl);
        page = await step(jar, at.href);
      }
      const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      const next = at.searchParams.get('next') ?? '/';
      response = await step(jar, `${gatewayUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ barcode: patron.barcode, pin: patron.pin, csrf, next }).toString() });
    } else if (location.pathname.startsWith('/notices/')) {
      const page = await step(jar, location.href);
      const html = await page.text();
      if (page.status !== 200) return { status: page.status, text: html, visited };
      const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const body = new URLSearchParams({ csrf, decision: notice.decision, next: location.searchParams.get('next') ?? '/', back: location.searchParams.get('back') ?? '/' });
      for (const consent of notice.consents ?? []) body.append('consent', consent);
      response = await step(jar, location.href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    } else {
      response = await step(jar, location.href);
    }
  }
  throw new Error('too many redirects');
}
