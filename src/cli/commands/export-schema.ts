import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { renderContractJsonSchema } from '../../contracts/contract-json-schema.ts';
import { EXIT, type CliIo } from '../cli-io.ts';

/** `gateway export-schema [FILE]`: write the contract JSON Schema for editors (default vendors/schema.json). */
export function registerExportSchema(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('export-schema')
    .description('write the contract JSON Schema for editors')
    .argument('[file]', 'where to write it', 'vendors/schema.json')
    .action(async (file: string) => {
      await writeFile(file, renderContractJsonSchema());
      io.stdout(`wrote ${file}`);
      setExit(EXIT.ok);
    });
}
