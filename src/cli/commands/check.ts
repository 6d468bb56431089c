import type { Command } from 'commander';
import { formatBootMessages } from '../../boot.ts';
import { bootFromCli } from '../boot-from-cli.ts';
import { EXIT, type CliIo } from '../cli-io.ts';

/**
 * `gateway check [--vendors DIR] [--config FILE] [--strict]`: run boot(), the very loader startup
 * runs (settings, secrets and keys, contracts, the proxy's checks, the patron file), print every
 * problem at once with the lines startup prints, then exit: 0 exactly when the gateway would
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
  const result = await bootFromCli(options, io);
  for (const line of formatBootMessages(result)) io.stderr(line);
  const errors = result.ok ? 0 : result.problems.length;
  const warnings = result.warnings.length;
  if (!result.ok || (options.strict === true && warnings > 0)) {
    io.stderr(result.ok ? `check failed under --strict: ${warnings} warning(s)` : `check failed: ${errors} error(s), ${warnings} warning(s); the gateway would not start`);
    return EXIT.invalid;
  }
  io.stdout(`check passed: settings and ${result.booted.contracts.size} contract(s) are valid${warnings > 0 ? `, with ${warnings} warning(s)` : ''}`);
  return EXIT.ok;
}
