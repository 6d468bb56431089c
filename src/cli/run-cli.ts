import { Command, CommanderError } from 'commander';
import { EXIT, type CliIo } from './cli-io.ts';
import { registerCheck } from './commands/check.ts';
import { registerExplain } from './commands/explain.ts';
import { registerExportSchema } from './commands/export-schema.ts';
import { registerHashPin } from './commands/hash-pin.ts';
import { registerImportEzproxy } from './commands/import-ezproxy.ts';
import { registerDiff } from './commands/diff.ts';
import { registerPseudonymMap } from './commands/pseudonym-map.ts';
import { registerReport } from './commands/report.ts';
import { registerSip2Probe } from './commands/sip2-probe.ts';

/** Runs the `gateway` command line with everything it touches passed in; resolves to the exit code. */
export async function runCli(argv: ReadonlyArray<string>, io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const program = new Command()
    .name('gateway')
    .description('Patron privacy gateway: enforce library vendor contracts on the wire')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s.trimEnd()), writeErr: (s) => io.stderr(s.trimEnd()) });
  registerCheck(program, io, setExit);
  registerExplain(program, io, setExit);
  registerHashPin(program, io, setExit);
  registerExportSchema(program, io, setExit);
  registerDiff(program, io, setExit);
  registerReport(program, io, setExit);
  registerSip2Probe(program, io, setExit);
  registerPseudonymMap(program, io, setExit);
  registerImportEzproxy(program, io, setExit);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}
