import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Command } from 'commander';
import { formatBootMessages } from '../../boot.ts';
import { renderField, splitVariableFields } from '../../sip2/fields.ts';
import { BLANK_SUMMARY } from '../../sip2/messages/patron-information.ts';
import { openSip2Connection } from '../../sip2/sip2-connection.ts';
import { createSip2Framer } from '../../sip2/framer.ts';
import { renderSip2Body, renderSip2Message } from '../../sip2/render-message.ts';
import { formatSip2Date } from '../../sip2/sip2-date.ts';
import { decodeBytes } from '../../sip2/encoding.ts';
import { bootFromCli } from '../boot-from-cli.ts';
import { EXIT, type CliIo } from '../cli-io.ts';

interface ProbeOptions {
  barcode: string;
  pinEnv?: string;
  mediator?: string;
  config?: string;
  vendors?: string;
}

/**
 * `gateway sip2-probe VENDOR --barcode B [--pin-env NAME] [--mediator HOST:PORT]`: plays VENDOR.
 * Asks the ILS (patrons.sip2) directly, as the vendor's server would without the gateway, and asks
 * the SIP2 mediator with the vendor's own credentials (sip2Mediator.vendors), then prints both
 * answers side by side, field by field: what the ILS says, what the vendor gets. A staff tool: the
 * ILS column shows the patron's data on this terminal. The PIN is read from an environment
 * variable, never from the command line (it would stay in the shell's history).
 */
export function registerSip2Probe(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('sip2-probe')
    .description("show the ILS's SIP2 answer for a card beside the mediator's minimized answer for a vendor")
    .argument('<vendor>', 'a vendor with identity.delivery: sip2 and a login in sip2Mediator.vendors')
    .requiredOption('--barcode <barcode>', 'the card to look up')
    .option('--pin-env <name>', 'an environment variable holding the PIN to send (AD)')
    .option('--mediator <host:port>', 'where the mediator listens (default: sip2Mediator.host and port)')
    .option('--config <file>', 'the settings file')
    .option('--vendors <dir>', 'the contracts folder')
    .action(async (vendor: string, options: ProbeOptions) => {
      setExit(await runSip2Probe(vendor, options, io));
    });
}

export async function runSip2Probe(vendor: string, options: ProbeOptions, io: CliIo): Promise<number> {
  const result = await bootFromCli(options, io);
  if (!result.ok) {
    for (const line of formatBootMessages(result)) io.stderr(line);
    return EXIT.invalid;
  }
  const setup = result.booted.sip2Mediator;
  const credential = setup?.vendors.find((v) => v.vendorId === vendor);
  if (setup === undefined || credential === undefined) {
    io.stderr(`sip2-probe: ${vendor} has no login under sip2Mediator.vendors (and the settings must start the mediator)`);
    return EXIT.usage;
  }
  const pin = options.pinEnv === undefined ? undefined : io.env[options.pinEnv];
  if (options.pinEnv !== undefined && pin === undefined) {
    io.stderr(`sip2-probe: the environment variable ${options.pinEnv} is not set`);
    return EXIT.usage;
  }
  const [host, portText] = options.mediator === undefined ? [setup.host === '0.0.0.0' ? '127.0.0.1' : setup.host, String(setup.port)] : splitHostPort(options.mediator);
  const request = {
    code: '63' as const,
    language: '000',
    transactionDate: formatSip2Date(io.now().getTime()),
    summary: BLANK_SUMMARY,
    institutionId: setup.ils.settings.institution,
    patronIdentifier: options.barcode,
    terminalPassword: '',
    ...(pin === undefined ? {} : { patronPassword: pin }),
  };
  let ilsAnswer: string;
  try {
    const ils = setup.ils;
    const connection = await openSip2Connection({
      host: ils.settings.host,
      port: ils.settings.port,
      tls: ils.settings.tls ? { ca: ils.ca, servername: ils.settings.servername } : undefined,
      login: ils.credentials === undefined ? undefined : { ...ils.credentials, location: ils.settings.location },
    }, AbortSignal.timeout(ils.settings.timeoutMs));
    try {
      const answer = await connection.exchange(request, '64', AbortSignal.timeout(ils.settings.timeoutMs));
      // For this display only: the ILS's extension fields too (PB, PC, XI...), which no renderer copies.
      ilsAnswer = renderSip2Body(answer) + (answer.unknown ?? []).map(([id, value]) => renderField(id, value)).join('');
    } finally {
      connection.close();
    }
  } catch {
    io.stderr('sip2-probe: the ILS did not answer (check patrons.sip2)');
    return EXIT.invalid;
  }
  let mediatorAnswer: string;
  try {
    const login = renderSip2Message({ code: '93', uidAlgorithm: '0', pwdAlgorithm: '0', loginUserId: credential.user.toString('utf8'), loginPassword: credential.password.toString('utf8') }, { errorDetection: true, sequence: 0 });
    const answers = await converse(host ?? '127.0.0.1', Number(portText), setup.tls !== undefined, [login, renderSip2Message(request, { errorDetection: true, sequence: 1 })]);
    if (!answers[0]?.startsWith('941')) throw new Error('login refused');
    if (answers[1] === undefined) throw new Error('no answer');
    mediatorAnswer = answers[1].replace(/AY\dAZ[0-9A-Fa-f]{4}$/, '');
  } catch (error) {
    io.stderr(`sip2-probe: the mediator gave no answer (${error instanceof Error ? error.message : 'closed'}); it closes the connection when the ILS cannot answer or the vendor may not ask`);
    return EXIT.invalid;
  }
  for (const line of formatComparison(ilsAnswer, mediatorAnswer)) io.stdout(line);
  return EXIT.ok;
}

function splitHostPort(text: string): [string, string] {
  const colon = text.lastIndexOf(':');
  return [text.slice(0, colon), text.slice(colon + 1)];
}

/** The two answers, field by field: the fixed part, then every field id either of them has. */
export function formatComparison(ils: string, mediator: string): string[] {
  const fixedLength = 61;
  const fieldsOf = (answer: string): Map<string, string[]> => {
    const fields = new Map<string, string[]>();
    for (const [id, value] of splitVariableFields(answer.slice(fixedLength))) fields.set(id, [...(fields.get(id) ?? []), value]);
    return fields;
  };
  const left = fieldsOf(ils);
  const right = fieldsOf(mediator);
  const lines = [`${'field'.padEnd(8)}${'ILS'.padEnd(40)} mediator`, `${'fixed'.padEnd(8)}${JSON.stringify(ils.slice(0, fixedLength)).padEnd(40)} ${JSON.stringify(mediator.slice(0, fixedLength))}`];
  for (const id of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(id)?.join(' | ') ?? '(none)';
    const b = right.get(id)?.join(' | ') ?? '(withheld)';
    lines.push(`${id.padEnd(8)}${a.padEnd(40)} ${b}`);
  }
  return lines;
}

/** Sends each message in turn and collects one answer per message, until the mediator closes. */
function converse(host: string, port: number, tls: boolean, messages: ReadonlyArray<Uint8Array>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket: Socket = tls ? connectTls({ host, port, rejectUnauthorized: false }) : connectTcp({ host, port });
    const framer = createSip2Framer();
    const answers: string[] = [];
    let next = 0;
    const timer = setTimeout(() => socket.destroy(), 10_000);
    const send = (): void => {
      const message = messages[next++];
      if (message === undefined) socket.end();
      else socket.write(message);
    };
    socket.on(tls ? 'secureConnect' : 'connect', send);
    socket.on('data', (chunk: Buffer) => {
      for (const bytes of framer.push(chunk).messages) {
        answers.push(decodeBytes(bytes, 'utf-8'));
        send();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answers);
    });
  });
}
