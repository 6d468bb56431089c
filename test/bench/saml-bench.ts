import { createPrivateKey, sign } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { createSamlId, renderSuccessResponse, signSamlResponse } from '../../src/channels/federation/saml/build-saml-response.ts';
import { mapSamlAttributes } from '../../src/channels/federation/saml/map-saml-attributes.ts';
import { loadContracts } from '../../src/contracts/load-contracts.ts';
import { createRememberedMinimizer } from '../../src/minimize/remember-results.ts';
import type { Patron } from '../../src/policy/patron.ts';
import { createPseudonymKeys } from '../../src/policy/pseudonyms/pseudonym-keys.ts';
import { CookieJar, followSignIn, startSamlGateway, step } from '../helpers/saml-gateway.ts';
import { createRsaCertificate } from '../helpers/saml-sp.ts';

/**
 * SAML responses for signed-in patrons (the sign-in itself excluded). In process, one core: the
 * whole answer (remembered vendor view, attributes, the Response rendered, the assertion and the
 * Response signed) against the same without the two signatures, and a baseline of one bare
 * RSA-2048 SHA-256 signature: the share of time in signing follows. Over HTTP on loopback: the SSO
 * endpoint (HTTP-Redirect, unsigned requests made by node-saml beforehand) for a signed-in patron
 * whose notice is accepted, p50 and p99, against GET /saml/metadata in the same run.
 */
export async function benchSaml(): Promise<{ issuedPerSecond: number; signingShare: number; ssoP99Ms: number }> {
  const { contracts } = await loadContracts('vendors', { signingKeyConfigured: true });
  const contract = contracts.get('journals-saml-demo');
  const plan = contract?.identity.saml;
  if (!contract || !plan) throw new Error('journals-saml-demo contract missing');
  const idp = createRsaCertificate('bench idp');
  const privateKey = createPrivateKey(idp.key);
  const key = { privateKey, certificateBase64: idp.certBase64 };
  const minimizer = createRememberedMinimizer({ pseudonyms: createPseudonymKeys({ masterSecret: Buffer.alloc(32, 42), epoch: 1 }), max: 10_000 });
  const now = new Date('2026-11-29T12:00:00Z');
  const patrons: Patron[] = Array.from({ length: 200 }, (_, i) => ({ patronId: `p-${i}`, barcode: `29${i}`, email: `bench${i}@example.org`, birthDate: '1980-01-01', patronType: 'adult', consents: [] }));
  const address = { issuer: 'https://gw.example/saml/metadata', audience: 'http://127.0.0.1:6031/metadata', destination: 'http://127.0.0.1:6031/acs', inResponseTo: '_req', now };
  const unsigned = (i: number): string => {
    const result = minimizer.minimize(`s-${i % 200}`, patrons[i % 200] as Patron, contract, ['share-email-with-vendors'], now);
    return renderSuccessResponse(address, { nameId: { format: 'transient', value: createSamlId() }, attributes: mapSamlAttributes(plan, result.view, { scope: 'library.example', affiliations: {} }), lifetimeSeconds: 300, authnInstant: now });
  };
  const measure = (label: string, iterations: number, run: (i: number) => unknown): number => {
    for (let i = 0; i < Math.ceil(iterations / 10); i++) run(i);
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run(i);
    const perSecond = iterations / (Number(process.hrtime.bigint() - start) / 1e9);
    console.log(`  ${label.padEnd(46)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} /s`);
    return perSecond;
  };
  console.log('SAML responses (journals-saml-demo contract, signed-in patrons, one core)');
  const data = Buffer.from(unsigned(0));
  const rsaPerSecond = measure('baseline: one bare RSA-2048 SHA-256 signature', 400, () => sign('sha256', data, privateKey));
  const renderPerSecond = measure('view + attributes + Response, unsigned', 4000, unsigned);
  const issuedPerSecond = measure('issued: the same, assertion and Response signed', 400, (i) => signSamlResponse(unsigned(i), key));
  const signingShare = 1 - issuedPerSecond / renderPerSecond;
  console.log(`  share of time in signing (xml-crypto: c14n, digests, 2 RSA signatures): ${(signingShare * 100).toFixed(1)}%`);
  console.log(`  ratio issued / bare RSA signature: ${(issuedPerSecond / rsaPerSecond).toFixed(2)} (two signatures per response: at best 0.50)`);

  // Over HTTP on loopback.
  const patron = { record: { patronId: 'p-http', barcode: '29000000000777', email: 'http@example.org', birthDate: '1980-01-01', patronType: 'adult' }, pin: '1234' };
  const sp = { entityId: 'https://bench.example/sp', acsUrl: 'https://bench.example/acs', signRequests: false };
  const gateway = await startSamlGateway([{ id: 'bench', sp, body: 'preset: pseudonymous\nfields:\n  birthDate: { action: generalize, to: ageBand }', samlExtra: '    attributes: { ageBand: https://bench.example/ageBand }' }], [patron]);
  gateway.harness.clock.now = new Date(); // node-saml stamps its requests with the wall clock
  try {
    const saml = new SAML({ entryPoint: `${gateway.harness.url}/saml/sso`, issuer: sp.entityId, callbackUrl: sp.acsUrl, idpCert: gateway.idp.certBase64, identifierFormat: null, validateInResponseTo: ValidateInResponseTo.never });
    const jar = new CookieJar();
    const first = await step(jar, await saml.getAuthorizeUrlAsync('', undefined, {}));
    const signedIn = await followSignIn(gateway.harness.url, jar, first, { barcode: patron.record.barcode, pin: patron.pin });
    if (signedIn.status !== 200) throw new Error(`bench sign-in failed with ${signedIn.status}`);
    const count = 1000;
    const urls: string[] = [];
    for (let i = 0; i < count; i++) urls.push(await saml.getAuthorizeUrlAsync('', undefined, {}));
    const cookie = jar.header();
    const time = async (url: string): Promise<number> => {
      const start = process.hrtime.bigint();
      const response = await fetch(url, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const percentile = (values: number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
    for (let i = 0; i < 50; i++) await time(`${gateway.harness.url}/saml/metadata`);
    const metadata: number[] = [];
    for (let i = 0; i < count; i++) metadata.push(await time(`${gateway.harness.url}/saml/metadata`));
    const sso: number[] = [];
    for (const url of urls) sso.push(await time(url));
    const ssoP99Ms = percentile(sso, 99);
    console.log(`SAML SSO endpoint over loopback (${count} sequential requests, signed-in patron, notice accepted)`);
    console.log(`  baseline GET /saml/metadata    p50 ${percentile(metadata, 50).toFixed(2)} ms   p99 ${percentile(metadata, 99).toFixed(2)} ms`);
    console.log(`  GET /saml/sso -> signed answer p50 ${percentile(sso, 50).toFixed(2)} ms   p99 ${ssoP99Ms.toFixed(2)} ms`);
    return { issuedPerSecond, signingShare, ssoP99Ms };
  } finally {
    await gateway.harness.close();
  }
}
