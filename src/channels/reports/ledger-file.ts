import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createEmptyLedger, parseLedger, renderLedger, type ReleaseLedger } from './release-ledger.ts';
import { ReportInputError } from './report-error.ts';

/** Largest ledger read (a grant publishing for decades stays far below). */
const MAX_LEDGER_BYTES = 64 * 1024 * 1024;

/** A grant's ledger from a file; a file that does not exist yet is an empty ledger. */
export async function loadLedgerFile(file: string, grant: string): Promise<ReleaseLedger> {
  let text: string;
  try {
    const buffer = await readFile(file);
    if (buffer.length > MAX_LEDGER_BYTES) throw new ReportInputError('the release ledger is larger than 64 MB; it cannot be a ledger of published tables');
    text = buffer.toString('utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return createEmptyLedger(grant);
    if (error instanceof ReportInputError) throw error;
    throw new ReportInputError(`the release ledger cannot be read (${(error as { code?: string }).code ?? 'error'})`);
  }
  return parseLedger(text, grant);
}

/** Writes a ledger whole or not at all (a temporary file, then a rename). */
export async function saveLedgerFile(file: string, ledger: ReleaseLedger): Promise<void> {
  const temporary = `${file}.${process.pid}.partial`;
  try {
    await writeFile(temporary, renderLedger(ledger));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new ReportInputError(`the release ledger could not be written (${(error as { code?: string }).code ?? 'error'}); nothing was published`);
  }
}
