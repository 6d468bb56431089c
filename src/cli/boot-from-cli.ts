import { boot, type BootResult } from '../boot.ts';
import { locateSettingsFile, type CliIo } from './cli-io.ts';

/**
 * boot() as a command runs it: the settings from --config, GATEWAY_CONFIG or config/gateway.yaml;
 * the contracts from --vendors or GATEWAY_VENDORS_DIR; the patrons from GATEWAY_PATRONS_FILE;
 * secrets, NODE_ENV and the clock from the command's io. The same inputs main.ts gives it.
 */
export function bootFromCli(options: { config?: string | undefined; vendors?: string | undefined }, io: CliIo): Promise<BootResult> {
  return boot({
    settingsFile: locateSettingsFile(options.config, io),
    env: io.env,
    overrides: { vendorsDir: options.vendors ?? io.env['GATEWAY_VENDORS_DIR'], patronsFile: io.env['GATEWAY_PATRONS_FILE'] },
    production: io.env['NODE_ENV'] === 'production',
    clock: io.now,
  });
}
