import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Problem } from '../lib/problem.ts';

/**
 * Checks `reports.ledgerDir` at startup: it must be an existing folder the gateway can write (the
 * console records every published grant table there). A problem names the settings file, the key,
 * what is wrong and how to fix it; the folder is never created silently.
 */
export async function checkLedgerDir(file: string, ledgerDir: string | undefined): Promise<Problem[]> {
  if (ledgerDir === undefined) return [];
  const problem = (message: string, fix: string): Problem[] => [{ file, path: 'reports.ledgerDir', message, fix }];
  try {
    if (!(await stat(ledgerDir)).isDirectory()) return problem('is not a folder', 'name a folder for the release ledgers (one file per grant), or remove reports.ledgerDir');
  } catch {
    return problem('the folder does not exist', 'create the folder (it keeps what each grant already published), or correct the path');
  }
  try {
    await access(ledgerDir, constants.W_OK | constants.R_OK);
  } catch {
    return problem('the gateway cannot read and write this folder', 'give the gateway user read and write access to it');
  }
  return [];
}
