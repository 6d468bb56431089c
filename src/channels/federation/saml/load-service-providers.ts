import { basename } from 'node:path';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import type { Problem } from '../../../lib/problem.ts';
import { readBoundedText } from '../../../lib/read-bounded-text.ts';
import { parseSpMetadata } from './parse-sp-metadata.ts';
import type { ServiceProvider } from './service-provider.ts';

/**
 * Reads the SP metadata file of every saml contract (next to the contract) and checks it: readable,
 * valid metadata, one entity id per vendor. Problems are on the metadata file, or on the contract.
 * A saml contract while the settings configure no SAML identity provider is a warning (as a sip2
 * contract without a mediator): the gateway starts, and that vendor cannot sign patrons in.
 */
export async function loadServiceProviders(contracts: ReadonlyMap<string, CompiledContract>, options: { readonly idpConfigured: boolean; readonly settingsFile: string }): Promise<{ providers: ReadonlyMap<string, ServiceProvider>; problems: Problem[]; warnings: Problem[] }> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const providers = new Map<string, ServiceProvider>();
  const byEntity = new Map<string, string>();
  for (const contract of contracts.values()) {
    const saml = contract.identity.saml;
    if (saml === undefined) continue;
    if (!options.idpConfigured) {
      warnings.push({ file: contract.file, path: 'identity.delivery', message: 'saml delivery, but the settings configure no SAML identity provider; this vendor cannot sign patrons in', fix: `add saml: { scope, signingKey, certificate } to ${basename(options.settingsFile)} (see the README's SAML section)` });
    }
    let text: string;
    try {
      text = await readBoundedText(saml.metadataFile, 256 * 1024);
    } catch {
      problems.push({ file: contract.file, path: 'identity.saml.metadata', message: 'the SP metadata file cannot be read (missing, unreadable or larger than 256 KiB)', fix: 'put the vendor\'s SP metadata next to the contract and name it here' });
      continue;
    }
    const provider = parseSpMetadata(contract.id, text, (path, message, fix) => void problems.push({ file: saml.metadataFile, path, message, fix }));
    if (provider === undefined) continue;
    const other = byEntity.get(provider.entityId);
    if (other !== undefined) {
      problems.push({ file: saml.metadataFile, path: 'EntityDescriptor@entityID', message: `the entity id is already ${other}'s`, fix: 'every SAML vendor needs its own SP metadata' });
      continue;
    }
    byEntity.set(provider.entityId, contract.id);
    providers.set(contract.id, provider);
  }
  return { providers, problems, warnings };
}
