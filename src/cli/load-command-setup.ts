import type { CompiledContract } from '../contracts/compiled-contract.ts';
import { loadContracts } from '../contracts/load-contracts.ts';
import { loadSettings, type Settings } from '../settings/load-settings.ts';
import { resolveKeys, type KeyMaterial } from '../settings/resolve-keys.ts';
import type { Problem } from '../lib/problem.ts';
import { locateSettingsFile, type CliIo } from './cli-io.ts';

/** What a command that works on patrons or reports needs: valid settings, every contract, the keys. */
export interface CommandSetup {
  readonly settings: Settings;
  readonly contracts: ReadonlyMap<string, CompiledContract>;
  readonly keys: KeyMaterial;
}

/**
 * Loads settings (--config, GATEWAY_CONFIG or config/gateway.yaml; --vendors or
 * GATEWAY_VENDORS_DIR), contracts and keys, stopping at the first stage that has problems.
 */
export async function loadCommandSetup(options: { config?: string; vendors?: string }, io: CliIo): Promise<CommandSetup | { failure: string; problems: ReadonlyArray<Problem> }> {
  const loaded = await loadSettings(locateSettingsFile(options.config, io), {
    vendorsDir: options.vendors ?? io.env['GATEWAY_VENDORS_DIR'],
    production: io.env['NODE_ENV'] === 'production',
  });
  if (!loaded.settings) return { failure: 'the settings are invalid', problems: loaded.problems };
  const contracts = await loadContracts(loaded.settings.vendorsDir, { signingKeyConfigured: loaded.settings.signingKeyConfigured });
  if (contracts.problems.length > 0) return { failure: 'the contracts are invalid (run gateway check)', problems: contracts.problems };
  const keys = await resolveKeys(loaded.settings, { env: io.env });
  if (!keys.keys) return { failure: 'the keys are not configured', problems: keys.problems };
  return { settings: loaded.settings, contracts: contracts.contracts, keys: keys.keys };
}
