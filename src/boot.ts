/**
 * The one loader. main.ts, `gateway check` and every CLI command that needs the gateway's
 * configuration call boot(); nothing else reads settings, secrets, contracts or patrons from disk.
 *
 * In order: settings, secrets and keys (assertion keys imported), contracts, the proxy's startup
 * checks on them, the patron source. Every phase runs whenever it can (a missing secret does not
 * stop the contracts from being checked), so one run reports every problem there is.
 */
import type { CompiledContract } from './contracts/compiled-contract.ts';
import { describeContractStatus } from './contracts/contract-status.ts';
import { checkLedgerDir } from './settings/check-ledger-dir.ts';
import { loadContracts } from './contracts/load-contracts.ts';
import { validateProxyContracts } from './channels/proxy/validate-proxy-contracts.ts';
import { validateBrowseContracts } from './channels/browse/validate-browse-contracts.ts';
import { formatProblem, type Problem } from './lib/problem.ts';
import { loadPatronFile, PatronFileError, type LoadedPatrons } from './patrons/file-patron-source.ts';
import { loadSip2Patrons } from './patrons/load-sip2-patrons.ts';
import { loadSsoClients, type SsoSetup } from './patrons/oidc/load-sso-clients.ts';
import { createSsoPatronSource } from './patrons/oidc/sso-patron-source.ts';
import { importAssertionKeysOrProblems, type AssertionKey } from './settings/assertion-keys.ts';
import { loadSettings, type Settings } from './settings/load-settings.ts';
import { readBrandingFiles, type BrandImages } from './settings/read-branding-files.ts';
import { resolveSip2Mediator, type Sip2MediatorSetup } from './settings/resolve-sip2-mediator.ts';
import { resolveSharedState, type SharedStateSetup } from './settings/resolve-shared-state.ts';
import { resolveOidcClients, type OidcClientSetup } from './settings/resolve-oidc-clients.ts';
import { locateDevKeysFile, resolveKeys, type KeyMaterial } from './settings/resolve-keys.ts';
import { resolveSamlIdp, type SamlIdpSetup } from './settings/resolve-saml-idp.ts';
import { loadServiceProviders } from './channels/federation/saml/load-service-providers.ts';
import type { ServiceProvider } from './channels/federation/saml/service-provider.ts';

export interface BootOptions {
  /** The settings file. */
  readonly settingsFile: string;
  /** Where `{ env: NAME }` secrets are read from (the process environment, or a test's own). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Replace the settings' vendorsDir and patrons.file (GATEWAY_VENDORS_DIR, --vendors, GATEWAY_PATRONS_FILE). */
  readonly overrides?: { readonly vendorsDir?: string | undefined; readonly patronsFile?: string | undefined };
  /** NODE_ENV=production: demo mode, development keys and plain http are refused. */
  readonly production: boolean;
  /** For the contract-status warnings (expired, expiring soon, not yet in force). */
  readonly clock: () => Date;
}

/** Everything the gateway runs on, loaded and checked. */
export interface Booted {
  readonly settings: Settings;
  readonly keys: KeyMaterial;
  /** The assertion keys, imported: the first signs, all are published. */
  readonly assertionKeys: ReadonlyArray<AssertionKey>;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly patrons: LoadedPatrons;
  /** The SIP2 mediator, when the settings start one: its secrets and files read, its vendors checked. */
  readonly sip2Mediator?: Sip2MediatorSetup;
  /** Where the shared state lives (state.redis with its secrets read), or one node's memory. */
  readonly sharedState: SharedStateSetup;
  /** The SAML identity provider, when the settings configure one: its key and certificate, and every saml vendor's SP metadata. */
  readonly saml?: { readonly idp: SamlIdpSetup; readonly providers: ReadonlyMap<string, ServiceProvider> };
  /** The OpenID Connect clients of the oidc contracts, their secrets read (empty when there is none). */
  readonly oidcClients: ReadonlyArray<OidcClientSetup>;
  /** The branding logo and favicon, read and checked (empty without branding). */
  readonly brandImages: BrandImages;
  /** Demo mode with patrons.source: sip2: the demo patron file, which the demo ILS answers from. */
  readonly demoIlsPatrons?: LoadedPatrons | undefined;
  /** The library's single sign-on: the patrons' client (patrons.source: oidc) and the staff's (admin.sso). */
  readonly sso: SsoSetup;
}

export type BootResult =
  | { readonly ok: true; readonly booted: Booted; readonly warnings: ReadonlyArray<Problem> }
  | { readonly ok: false; readonly problems: ReadonlyArray<Problem>; readonly warnings: ReadonlyArray<Problem> };

/** Loads and checks everything; resolves to the booted parts, or to every problem found. Never throws for a bad configuration. */
export async function boot(options: BootOptions): Promise<BootResult> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];

  // Settings.
  const loaded = await loadSettings(options.settingsFile, { ...options.overrides, production: options.production });
  problems.push(...loaded.problems);
  const settings = loaded.settings;
  if (settings) problems.push(...(await checkLedgerDir(settings.file, settings.reports.ledgerDir)));
  let brandImages: BrandImages = {};
  if (loaded.brandingFiles) {
    const read = await readBrandingFiles(options.settingsFile, loaded.brandingFiles);
    problems.push(...read.problems);
    brandImages = read.images;
  }

  // Secrets and keys (never development keys in production), whenever the sections naming them are right.
  let keys: KeyMaterial | undefined;
  let assertionKeys: AssertionKey[] = [];
  const keySettings = loaded.keySettings;
  if (keySettings) {
    const resolved = await resolveKeys(keySettings, { env: options.env }, { devKeys: keySettings.demo && !options.production });
    problems.push(...resolved.problems);
    keys = resolved.keys;
    const imported = await importAssertionKeysOrProblems(resolved.assertionKeys, (key) => {
      const index = keySettings.secrets.assertionKeys.findIndex((configured) => configured.kid === key.kid);
      return index >= 0 ? { file: keySettings.file, path: `secrets.assertionKeys[${index}].privateKey` } : { file: locateDevKeysFile(keySettings), path: 'assertionKey.pem' };
    });
    problems.push(...imported.problems);
    assertionKeys = imported.keys;
  }

  // Contracts, and the proxy's own checks on them.
  let contracts: ReadonlyMap<string, CompiledContract> | undefined;
  // The contracts that compiled, even when others did not: their clients' secrets are checked all the same.
  let compiledContracts: ReadonlyMap<string, CompiledContract> | undefined;
  const places = loaded.places;
  if (places) {
    const loadedContracts = await loadContracts(places.vendorsDir, { signingKeyConfigured: places.signingKeyConfigured });
    problems.push(...loadedContracts.problems);
    compiledContracts = loadedContracts.compiled;
    if (loadedContracts.problems.length === 0) {
      contracts = loadedContracts.contracts;
      // The proxy serves the HTTP vendors; sip2 vendors connect to the SIP2 mediator, saml and oidc vendors sign patrons in through the gateway.
      const httpContracts = new Map([...contracts].filter(([, contract]) => contract.identity.delivery !== 'sip2' && contract.identity.delivery !== 'saml' && contract.identity.delivery !== 'oidc'));
      problems.push(...validateProxyContracts(httpContracts).map((message) => describeStageProblem(message, contracts ?? new Map())));
      warnings.push(...describeContractWarnings(contracts, options.clock()));
      if (settings) {
        const browse = validateBrowseContracts(httpContracts, { publicUrl: settings.publicUrl, proxyDomain: settings.browse?.proxyDomain });
        problems.push(...browse.problems.map((message) => describeStageProblem(message, contracts ?? new Map())));
        warnings.push(...browse.warnings.map((message) => ({ ...describeStageProblem(message, contracts ?? new Map()), path: 'browse', fix: 'add browse.proxyDomain to the settings (README, "Browse mode"), or remove the browse section' })));
      }
    }
  }

  // The patron source.
  let patrons: LoadedPatrons | undefined;
  let demoIlsPatrons: LoadedPatrons | undefined;
  if (places?.patronSource === 'sip2') {
    // The ILS: its settings are checked with the rest; nothing connects until the first sign-in.
    const sip2 = settings?.patrons.sip2;
    if (settings && sip2) {
      const loadedSip2 = await loadSip2Patrons(sip2, { file: settings.file, env: options.env, now: () => options.clock().getTime(), cache: { max: settings.limits.patronCacheSize, ttlMs: settings.limits.sessionTtlSeconds * 1000 } });
      problems.push(...loadedSip2.problems);
      patrons = loadedSip2.patrons;
    }
    if (settings?.demo && places.patronsFile !== undefined) {
      try {
        demoIlsPatrons = await loadPatronFile(places.patronsFile);
      } catch (error) {
        if (!(error instanceof PatronFileError)) throw error;
        problems.push(...error.problems);
      }
    }
  } else if (places?.patronSource === 'oidc') {
    // The library's single sign-on: no records to load; each patron's comes from the provider at sign-in.
    patrons = { source: createSsoPatronSource(), count: 0, patrons: [], skipped: [] };
  } else if (places?.patronsFile !== undefined) {
    try {
      patrons = await loadPatronFile(places.patronsFile);
      warnings.push(...patrons.skipped);
    } catch (error) {
      if (!(error instanceof PatronFileError)) throw error;
      problems.push(...error.problems);
    }
  }

  // The SIP2 mediator: its vendors' credentials, its certificate, the ILS it asks.
  let sip2Mediator: Sip2MediatorSetup | undefined;
  if (settings) {
    const resolved = await resolveSip2Mediator(settings, contracts, options.env);
    problems.push(...resolved.problems);
    warnings.push(...resolved.warnings);
    sip2Mediator = resolved.setup;
  }

  // The SAML identity provider: its RSA key and certificate, and each saml vendor's SP metadata.
  let saml: Booted['saml'];
  if (settings) {
    const resolved = await resolveSamlIdp(settings, options.env, { production: options.production });
    problems.push(...resolved.problems);
    if (contracts) {
      const loadedProviders = await loadServiceProviders(contracts, { idpConfigured: settings.saml !== undefined, settingsFile: settings.file });
      problems.push(...loadedProviders.problems);
      warnings.push(...loadedProviders.warnings);
      if (resolved.setup) saml = Object.freeze({ idp: resolved.setup, providers: loadedProviders.providers });
    }
  }
  // The OpenID Connect clients: their secrets read, their keys imported, their ids unique.
  const oidc = await resolveOidcClients(compiledContracts, { env: options.env, demo: settings?.demo === true && !options.production, production: options.production });
  problems.push(...oidc.problems);
  warnings.push(...oidc.warnings);

  // The shared state: Redis's URL, password and CA read and checked (nothing connects here).
  let sharedState: SharedStateSetup | undefined;
  if (settings) {
    const resolved = await resolveSharedState(settings, options.env);
    problems.push(...resolved.problems);
    sharedState = resolved.setup;
  }

  // The library's single sign-on: client secrets read, discovery tried (a provider down is a warning).
  let sso: SsoSetup = {};
  if (settings && (settings.patrons.source === 'oidc' || settings.admin.sso !== undefined)) {
    const loadedSso = await loadSsoClients({ file: settings.file, publicUrl: settings.publicUrl, env: options.env, patrons: settings.patrons.source === 'oidc' ? settings.patrons.oidc : undefined, staff: settings.admin.sso });
    problems.push(...loadedSso.problems);
    warnings.push(...loadedSso.warnings);
    sso = loadedSso.setup;
  }

  if (problems.length > 0 || !settings || !keys || !contracts || !patrons || !sharedState) return { ok: false, problems, warnings };
  const booted: Booted = Object.freeze({ settings, keys, sharedState, brandImages, sso: Object.freeze(sso), oidcClients: Object.freeze(oidc.clients), assertionKeys: Object.freeze(assertionKeys), contracts, patrons: Object.freeze(patrons), ...(sip2Mediator ? { sip2Mediator } : {}), ...(saml ? { saml } : {}), ...(demoIlsPatrons ? { demoIlsPatrons: Object.freeze(demoIlsPatrons) } : {}) });
  return { ok: true, booted, warnings };
}

/** Contracts that are loaded but closed, or about to close: the gateway starts, and closes just that vendor. */
function describeContractWarnings(contracts: ReadonlyMap<string, CompiledContract>, now: Date): Problem[] {
  const warnings: Problem[] = [];
  for (const contract of contracts.values()) {
    const status = describeContractStatus(contract, now);
    const file = contract.file;
    if (status.state === 'expired') {
      warnings.push({ file, path: 'contract.expires', message: `the contract EXPIRED ${status.days} day(s) ago; ${contract.id} is closed until it is renewed`, fix: 'renew the agreement and update contract.expires' });
    } else if (status.state === 'expiring-soon') {
      warnings.push({ file, path: 'contract.expires', message: `the contract expires in ${status.days} day(s); renew it or ${contract.id} will close`, fix: 'renew the agreement and update contract.expires' });
    } else if (status.state === 'not-yet-effective') {
      warnings.push({ file, path: 'contract.effective', message: `the contract takes effect in ${status.days} day(s); ${contract.id} is closed until then`, fix: 'nothing, if that date is right; otherwise correct contract.effective' });
    }
  }
  return warnings;
}

/** A proxy stage's startup message ("<vendor>: what is wrong") as a problem on that vendor's contract. */
function describeStageProblem(message: string, contracts: ReadonlyMap<string, CompiledContract>): Problem {
  const separator = message.indexOf(': ');
  const contract = separator > 0 ? contracts.get(message.slice(0, separator)) : undefined;
  return contract
    ? { file: contract.file, path: '', message: message.slice(separator + 2), fix: 'correct the contract so that the proxy can serve it' }
    : { file: 'the proxy', path: '', message, fix: 'correct the contracts so that the proxy can serve them' };
}

/**
 * The lines startup and `gateway check` both print to standard error: `error: ...` for each
 * problem, then `warning: ...` for each warning. One function, so the two never disagree.
 */
export function formatBootMessages(result: BootResult): string[] {
  return [...(result.ok ? [] : result.problems.map((problem) => `error: ${formatProblem(problem)}`)), ...result.warnings.map((warning) => `warning: ${formatProblem(warning)}`)];
}
