import type { Command } from 'commander';
import { describeContractStatus } from '../../contracts/contract-status.ts';
import { loadContracts } from '../../contracts/load-contracts.ts';
import { loadPatronFile, PatronFileError } from '../../patrons/file-patron-source.ts';
import { loadSettings } from '../../settings/load-settings.ts';
import { resolveKeys } from '../../settings/resolve-keys.ts';
import { formatProblem, type Problem } from '../../lib/problem.ts';
import { EXIT, locateSettingsFile, type CliIo } from '../cli-io.ts';

/**
 * `gateway check [--vendors DIR] [--config FILE] [--strict]`: validate the settings, every
 * contract and the patron file, print every problem at once, then exit: 0 when the gateway would
 * start, 1 when it would refuse. Expired and soon-expiring contracts are warnings (the gateway
 * starts and closes just that vendor); --strict makes them fatal.
 */
export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('validate the settings and every vendor contract, then exit (0 valid, 1 invalid)')
    .option('--vendors <dir>', 'the contracts folder (default: the settings, or GATEWAY_VENDORS_DIR)')
    .option('--config <file>', 'the settings file (default: GATEWAY_CONFIG or config/gateway.yaml)')
    .option('--strict', 'treat expired or soon-expiring contracts as errors')
    .action(async (options: { vendors?: string; config?: string; strict?: boolean }) => {
      setExit(await runCheck(options, io));
    });
}

export async function runCheck(options: { vendors?: string; config?: string; strict?: boolean }, io: CliIo): Promise<number> {
  const settingsFile = locateSettingsFile(options.config, io);
  const loaded = await loadSettings(settingsFile, {
    vendorsDir: options.vendors ?? io.env['GATEWAY_VENDORS_DIR'],
    patronsFile: io.env['GATEWAY_PATRONS_FILE'],
    production: io.env['NODE_ENV'] === 'production',
  });
  const problems: Problem[] = [...loaded.problems];
  const warnings: string[] = [];
  const settings = loaded.settings;
  let contractCount = 0;
  if (settings) {
    if (!settings.demo) {
      const keys = await resolveKeys(settings, { env: io.env });
      problems.push(...keys.problems);
    }
    const contracts = await loadContracts(settings.vendorsDir, { signingKeyConfigured: settings.signingKeyConfigured });
    problems.push(...contracts.problems);
    contractCount = contracts.contracts.size;
    const now = io.now();
    for (const contract of contracts.contracts.values()) {
      const status = describeContractStatus(contract, now);
      if (status.state === 'expired') warnings.push(`${contract.file}: contract.expires: the contract EXPIRED ${status.days} day(s) ago; ${contract.id} is closed until it is renewed`);
      if (status.state === 'expiring-soon') warnings.push(`${contract.file}: contract.expires: the contract expires in ${status.days} day(s); renew it or ${contract.id} will close`);
      if (status.state === 'not-yet-effective') warnings.push(`${contract.file}: contract.effective: the contract takes effect in ${status.days} day(s); ${contract.id} is closed until then`);
    }
    try {
      const patrons = await loadPatronFile(settings.patrons.file);
      for (const skipped of patrons.skipped) warnings.push(formatProblem(skipped));
    } catch (error) {
      if (error instanceof PatronFileError) problems.push(...error.problems);
      else throw error;
    }
  }
  for (const problem of problems) io.stderr(`error: ${formatProblem(problem)}`);
  for (const warning of warnings) io.stderr(`warning: ${warning}`);
  const failed = problems.length > 0 || (options.strict === true && warnings.length > 0);
  if (failed) {
    io.stderr(`check failed: ${problems.length} error(s), ${warnings.length} warning(s); the gateway would not start`);
    return EXIT.invalid;
  }
  io.stdout(`check passed: settings and ${contractCount} contract(s) are valid${warnings.length > 0 ? `, with ${warnings.length} warning(s)` : ''}`);
  return EXIT.ok;
}
