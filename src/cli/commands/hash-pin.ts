import type { Command } from 'commander';
import { hashPin } from '../../patrons/pin-hash.ts';
import { EXIT, type CliIo } from '../cli-io.ts';

/**
 * `gateway hash-pin PIN` prints the scrypt hash for a patron file's `pinHash`, as the last line
 * of its output. `gateway hash-pin -` reads the PIN from standard input (keeps it out of shell history).
 */
export function registerHashPin(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('hash-pin')
    .description('print the pinHash for a PIN (use - to read the PIN from standard input)')
    .argument('<pin>', 'the PIN, or - to read it from standard input')
    .action(async (pinArgument: string) => {
      const pin = pinArgument === '-' ? (await io.readStdin()).replace(/\r?\n$/, '') : pinArgument;
      if (pin.length < 4 || pin.length > 128) {
        io.stderr('hash-pin: a PIN must be 4 to 128 characters');
        setExit(EXIT.usage);
        return;
      }
      io.stderr('pinHash for the patron file:');
      io.stdout(await hashPin(pin));
      setExit(EXIT.ok);
    });
}
