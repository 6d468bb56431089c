import { mapSamlAttributes } from '../../channels/federation/saml/map-saml-attributes.ts';
import type { Command } from 'commander';
import { loadPatronFile, PatronFileError } from '../../patrons/file-patron-source.ts';
import type { Patron } from '../../policy/patron.ts';
import { explainResult, formatExplanation } from '../../minimize/explain.ts';
import { minimize } from '../../minimize/minimize.ts';
import { createPseudonymKeys } from '../../policy/pseudonyms/pseudonym-keys.ts';
import { formatProblem, type Problem } from '../../lib/problem.ts';
import { EXIT, type CliIo } from '../cli-io.ts';
import { formatBootMessages } from '../../boot.ts';
import { bootFromCli } from '../boot-from-cli.ts';
import { mapOidcClaims } from '../../channels/federation/oidc/map-oidc-claims.ts';

interface ExplainOptions {
  patron: string;
  barcode?: string;
  at?: string;
  json?: boolean;
  config?: string;
  vendors?: string;
}

/**
 * `gateway explain VENDOR --patron FILE [--barcode B] [--at DATE] [--json]`: the dry run. Prints,
 * field by field, what VENDOR would receive about one patron and why. Exit 2 on any bad input.
 */
export function registerExplain(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('explain')
    .description('show what a vendor would receive about one patron, field by field, and why')
    .argument('<vendor>', 'vendor id (the contract file name)')
    .requiredOption('--patron <file>', 'a patron file (a YAML list, or one record)')
    .option('--barcode <barcode>', 'which patron in the file (needed when it holds more than one)')
    .option('--at <date>', 'evaluate as of this date (YYYY-MM-DD or an ISO timestamp); default now')
    .option('--json', 'print JSON instead of text')
    .option('--config <file>', 'the settings file')
    .option('--vendors <dir>', 'the contracts folder')
    .action(async (vendor: string, options: ExplainOptions) => {
      setExit(await runExplain(vendor, options, io));
    });
}

export async function runExplain(vendor: string, options: ExplainOptions, io: CliIo): Promise<number> {
  const fail = (message: string, problems: ReadonlyArray<Problem> = []): number => {
    for (const p of problems) io.stderr(`error: ${formatProblem(p)}`);
    io.stderr(`explain: ${message}`);
    return EXIT.usage;
  };
  const now = options.at === undefined ? io.now() : parseWhen(options.at);
  if (now === undefined) return fail('--at must be a date as YYYY-MM-DD or an ISO timestamp');

  const booted = await bootFromCli(options, io);
  if (!booted.ok) {
    for (const line of formatBootMessages(booted)) io.stderr(line);
    return fail(`the gateway's configuration has ${booted.problems.length} problem(s); run gateway check`);
  }
  const setup = booted.booted;
  const contract = setup.contracts.get(vendor);
  if (!contract) return fail(`there is no vendor "${vendor}"; known vendors: ${[...setup.contracts.keys()].join(', ')}`);

  let patron: Patron | undefined;
  try {
    const patrons = await loadPatronFile(options.patron);
    for (const skipped of patrons.skipped) io.stderr(`warning: ${formatProblem(skipped)}`);
    if (options.barcode !== undefined) {
      patron = await patrons.source.findByBarcode(options.barcode);
      if (!patron) return fail('no patron in that file has that barcode');
    } else if (patrons.count === 1) {
      patron = patrons.patrons[0];
    } else {
      return fail(patrons.count === 0 ? 'the patron file holds no valid patron' : `the patron file holds ${patrons.count} patrons; choose one with --barcode`);
    }
  } catch (error) {
    if (error instanceof PatronFileError) return fail('the patron file cannot be used', error.problems);
    throw error;
  }
  if (!patron) return fail('the patron file holds no valid patron');

  const pseudonyms = createPseudonymKeys({ masterSecret: setup.keys.pseudonymSecret, epoch: setup.keys.pseudonymEpoch });
  const result = minimize(patron, contract, pseudonyms, now);
  const explanation = explainResult(contract, result, now);
  // saml delivery: the assertion's attributes, exactly as the identity provider would send them.
  const plan = contract.identity.saml;
  const idp = setup.saml?.idp;
  const samlAttributes =
    plan && idp ? (result.access === 'identified' ? mapSamlAttributes(plan, result.view, { scope: idp.scope, affiliations: { ...idp.affiliations, ...(plan.affiliations ?? {}) } }) : []) : undefined;
  // oidc delivery: the ID token's claims about the patron, as the provider would issue them (a one-time subject when not identified).
  const oidc = contract.identity.oidc;
  const idToken = oidc === undefined || result.access === 'blocked' ? undefined : result.access === 'identified' ? mapOidcClaims(result.view, oidc) : { sub: '(a one-time subject)' };
  if (options.json) {
    io.stdout(JSON.stringify({ ...explanation, ...(samlAttributes === undefined ? {} : { samlAttributes }), ...(idToken === undefined ? {} : { idTokenClaims: idToken }) }, null, 2));
  } else {
    io.stdout(`${formatExplanation(explanation)}${idToken === undefined ? '' : `\nID token claims: ${JSON.stringify(idToken)}`}`);
    if (samlAttributes !== undefined) {
      io.stdout(`SAML attributes in the assertion (NameID: ${plan?.nameId}):`);
      for (const attribute of samlAttributes) io.stdout(`  ${attribute.friendlyName ?? attribute.name} (${attribute.name}): ${attribute.values.join(', ')}`);
      if (samlAttributes.length === 0) io.stdout('  (none)');
    }
  }
  return EXIT.ok;
}

function parseWhen(text: string): Date | undefined {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T12:00:00Z`) : new Date(text);
  return Number.isNaN(value.getTime()) ? undefined : value;
}
