import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { createProxiedOrigins } from './proxied-origins.ts';

/**
 * Browse mode's startup checks on the compiled contracts (boot() runs them, so `gateway check`
 * and startup refuse the same contracts): every browse vendor host gets a label of 63 characters at
 * most, and no host or domain belongs to two vendors. Without browse.proxyDomain in the settings a
 * browse section is only a warning: the vendor is still served at /v/ (API mode), not as a website.
 */
export function validateBrowseContracts(contracts: ReadonlyMap<string, CompiledContract>, settings: { publicUrl: string; proxyDomain: string | undefined }): { problems: string[]; warnings: string[] } {
  const browsing = [...contracts.values()].filter((contract) => contract.browse !== undefined && contract.identity.delivery !== 'sip2');
  if (settings.proxyDomain === undefined) return { problems: [], warnings: browsing.map((contract) => `${contract.id}: has a browse section but the settings name no browse.proxyDomain, so it is served only at /v/${contract.id}/ (API mode)`) };
  const origins = createProxiedOrigins({ proxyDomain: settings.proxyDomain, secure: settings.publicUrl.startsWith('https:'), publicOrigin: new URL(settings.publicUrl).origin, contracts: browsing });
  return { problems: [...origins.problems], warnings: [] };
}
