import { writeFile, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { CompactEncrypt, calculateJwkThumbprint, exportJWK } from 'jose';
import { loadPatronFile, PatronFileError } from '../../patrons/file-patron-source.ts';
import { buildPseudonymMap } from '../../policy/pseudonyms/pseudonym-map.ts';
import { formatProblem, type Problem } from '../../lib/problem.ts';
import { formatBootMessages } from '../../boot.ts';
import { bootFromCli } from '../boot-from-cli.ts';
import { EXIT, type CliIo } from '../cli-io.ts';
import { readRecipientKey } from '../recipient-key.ts';

interface PseudonymMapOptions {
  vendor: string;
  from: string;
  to: string;
  patrons?: string;
  recipientKey: string;
  out: string;
  config?: string;
  vendors?: string;
}

/** The `typ` of the encrypted document, so a vendor can tell it from anything else we send. */
export const PSEUDONYM_MAP_TYPE = 'patron-privacy-gateway/pseudonym-map/v1';

/**
 * `gateway pseudonym-map --vendor V --from E1 --to E2 [--patrons FILE] --recipient-key FILE --out FILE`:
 * the old -> new pseudonym of every patron for one vendor, encrypted to the vendor's public key
 * (compact JWE, ECDH-ES+A256KW or RSA-OAEP-256, A256GCM). Only the pairs go in; nothing is
 * printed or logged about a patron. Any bad input: a message, exit 2, nothing written.
 */
export function registerPseudonymMap(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('pseudonym-map')
    .description("write the old -> new pseudonym mapping a vendor needs when the pseudonym epoch changes, encrypted to the vendor's public key")
    .requiredOption('--vendor <id>', 'vendor id (the contract file name)')
    .requiredOption('--from <epoch>', 'the epoch the vendor knows its patrons by (secrets.pseudonymEpoch before the change)')
    .requiredOption('--to <epoch>', 'the new epoch')
    .option('--patrons <file>', 'a patron file (a YAML list with patronId): whose pairs to write; default the settings\' patrons.file')
    .requiredOption('--recipient-key <file>', "the vendor's public key: PEM (BEGIN PUBLIC KEY) or JWK; EC P-256/384/521, X25519 or RSA 2048+")
    .requiredOption('--out <file>', 'where to write the encrypted mapping (a new file; never overwritten)')
    .option('--config <file>', 'the settings file')
    .option('--vendors <dir>', 'the contracts folder')
    .action(async (options: PseudonymMapOptions) => {
      setExit(await runPseudonymMap(options, io));
    });
}

export async function runPseudonymMap(options: PseudonymMapOptions, io: CliIo): Promise<number> {
  const fail = (message: string, problems: ReadonlyArray<Problem> = []): number => {
    for (const p of problems) io.stderr(`error: ${formatProblem(p)}`);
    io.stderr(`pseudonym-map: ${message}; nothing written`);
    return EXIT.usage;
  };
  const fromEpoch = parseEpoch(options.from);
  const toEpoch = parseEpoch(options.to);
  if (fromEpoch === undefined || toEpoch === undefined) return fail('--from and --to must be whole numbers from 1 (pseudonym epochs)');
  if (fromEpoch === toEpoch) return fail(`--from and --to are the same epoch (${fromEpoch}): pseudonyms do not change, there is nothing to map`);

  const recipient = await readRecipientKey(options.recipientKey);
  if ('error' in recipient) return fail(recipient.error);

  const booted = await bootFromCli(options, io);
  if (!booted.ok) {
    for (const line of formatBootMessages(booted)) io.stderr(line);
    return fail(`the gateway's configuration has ${booted.problems.length} problem(s); run gateway check`);
  }
  const setup = booted.booted;
  try {
    const contract = setup.contracts.get(options.vendor);
    if (!contract) return fail(`there is no vendor "${options.vendor}"; known vendors: ${[...setup.contracts.keys()].join(', ')}`);
    if (!contract.rules.some((rule) => rule.action === 'pseudonymize')) return fail(`vendor "${options.vendor}" receives no pseudonym (its contract pseudonymizes no field), so there is nothing to map`);

    let patronIds: string[];
    if (options.patrons !== undefined) {
      try {
        const loaded = await loadPatronFile(options.patrons);
        for (const skipped of loaded.skipped) io.stderr(`warning: ${formatProblem(skipped)}`);
        patronIds = loaded.patrons.map((patron) => patron.patronId);
      } catch (error) {
        if (error instanceof PatronFileError) return fail('the patron file cannot be used', error.problems);
        throw error;
      }
    } else if (setup.settings.patrons.source === 'file') {
      patronIds = setup.patrons.patrons.map((patron) => patron.patronId);
    } else if (setup.settings.patrons.source === 'oidc') {
      return fail("the patrons sign in at the library's single sign-on, which cannot list them (their ids are keyed from the provider's subjects and exist only in their sessions), so their pseudonyms cannot be mapped ahead of an epoch change");
    } else {
      return fail('the patrons come from the ILS over SIP2, which cannot list them; export the patron ids from the ILS into a file ("- patronId: ..." per patron) and give it with --patrons FILE');
    }
    if (patronIds.length === 0) return fail('the patron list holds no patron');

    const map = buildPseudonymMap({ masterSecret: setup.keys.pseudonymSecret, vendor: contract.id, fromEpoch, toEpoch, patronIds });
    const kid = await calculateJwkThumbprint(await exportJWK(recipient.key));
    const plaintext = new TextEncoder().encode(JSON.stringify({ typ: PSEUDONYM_MAP_TYPE, vendor: map.vendor, fromEpoch: map.fromEpoch, toEpoch: map.toEpoch, pairs: map.pairs }));
    const jwe = await new CompactEncrypt(plaintext).setProtectedHeader({ alg: recipient.alg, enc: 'A256GCM', cty: 'application/json', kid }).encrypt(recipient.key);
    try {
      await writeFile(options.out, `${jwe}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
      if (!exists) await rm(options.out, { force: true }).catch(() => undefined);
      return fail(exists ? `${options.out} already exists; choose a new file name (a mapping is never overwritten)` : `${options.out} cannot be written`);
    }
    io.stdout(`pseudonym-map: ${map.pairs.length} patron(s) of ${contract.id}, epoch ${fromEpoch} -> ${toEpoch}, encrypted to the vendor's ${recipient.description} key ${kid} (${recipient.alg}, A256GCM): ${options.out}`);
    return EXIT.ok;
  } finally {
    setup.patrons.close?.();
  }
}

function parseEpoch(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,8}$/.test(text)) return undefined;
  return Number(text);
}
