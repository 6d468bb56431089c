import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { CompiledContract } from '../contracts/compiled-contract.ts';
import type { Problem } from '../lib/problem.ts';
import type { Settings } from './load-settings.ts';
import type { Sip2PatronSettings } from './patron-source-settings.ts';
import { readSecret } from './read-secret.ts';

/** The SIP2 mediator's settings with every secret and file read: what app.ts wires and main.ts listens with. */
export interface Sip2MediatorSetup {
  readonly host: string;
  readonly port: number;
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Each vendor's SIP2 login, as bytes (compared as digests, never logged). */
  readonly vendors: ReadonlyArray<{ readonly vendorId: string; readonly user: Buffer; readonly password: Buffer }>;
  /** Connections to the ILS (sip2Mediator.ilsPool, or patrons.sip2.pool). */
  readonly ilsPool: number;
  /** The library's ILS, as patrons.sip2 describes it, with the gateway's own login and CA read. */
  readonly ils: { readonly settings: Sip2PatronSettings; readonly credentials?: { readonly user: string; readonly password: string }; readonly ca?: Buffer };
}

const SIP2_TEXT = /^[^|\r\n]{1,255}$/;
/** The prefix of the embedded demo's committed SIP2 vendor login (config/demo-sip2-vendor.*). */
export const DEMO_ONLY = 'demo-only-';

/**
 * Reads and checks what sip2Mediator names: the vendors' credentials (each readable, sendable in a
 * 93, one login per vendor: the login tells vendors apart), the TLS certificate and key (PEM, and
 * a pair), every vendor's contract (present, sip2 delivery), and the ILS it asks (patrons.sip2).
 * Sip2 contracts without credentials are warnings: the gateway starts, and they cannot log in.
 * Problems name the setting, never a value.
 */
export async function resolveSip2Mediator(
  settings: Settings,
  contracts: ReadonlyMap<string, CompiledContract> | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ setup?: Sip2MediatorSetup; problems: Problem[]; warnings: Problem[] }> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const file = settings.file;
  const mediator = settings.sip2Mediator;
  if (mediator === undefined) {
    for (const contract of contracts?.values() ?? []) {
      if (contract.identity.delivery === 'sip2') warnings.push({ file: contract.file, path: 'identity.delivery', message: 'sip2 delivery, but the settings start no SIP2 mediator; this vendor cannot connect', fix: 'add sip2Mediator (host, port, vendors) to the settings, or remove this contract' });
    }
    return { problems, warnings };
  }
  const push = (path: string, message: string, fix: string): void => void problems.push({ file, path, message, fix });
  // Relative paths are relative to the settings file.
  const place = (path: string): string => resolve(dirname(resolve(file)), path);

  const vendors: Array<{ vendorId: string; user: Buffer; password: Buffer }> = [];
  const users = new Map<string, string>();
  for (const [vendorId, credential] of Object.entries(mediator.vendors)) {
    const base = `sip2Mediator.vendors.${vendorId}`;
    const contract = contracts?.get(vendorId);
    if (contracts !== undefined && contract === undefined) push(base, `there is no contract ${vendorId}.yaml in the vendors folder`, 'add the vendor\'s contract with identity.delivery: sip2, or correct the vendor id');
    else if (contract !== undefined && contract.identity.delivery !== 'sip2') push(base, `the contract of ${vendorId} has delivery ${contract.identity.delivery}, not sip2`, 'set identity.delivery: sip2 in its contract, or remove it from sip2Mediator.vendors');
    const read = async (key: 'user' | 'password'): Promise<Buffer | undefined> => {
      const result = await readSecret(credential[key], { env, settingsFile: file });
      if ('error' in result) {
        push(`${base}.${key}`, result.error, 'set it, or point the setting at the right variable or file');
        return undefined;
      }
      // The embedded demo's committed vendor login is marked; it must never open a real mediator.
      if (!settings.demo && result.value.toString('utf8').startsWith(DEMO_ONLY)) {
        push(`${base}.${key}`, `is a demo-only login (it starts with "${DEMO_ONLY}") and demo mode is off`, 'give the vendor its own login from the environment or a secret file');
        return undefined;
      }
      if (!SIP2_TEXT.test(result.value.toString('utf8'))) {
        push(`${base}.${key}`, 'is empty, longer than 255 characters, or holds |, CR or LF (it cannot travel in a SIP2 93)', 'give the vendor a login of plain characters');
        return undefined;
      }
      return result.value;
    };
    const user = await read('user');
    const password = await read('password');
    if (user === undefined || password === undefined) continue;
    const other = users.get(user.toString('hex'));
    if (other !== undefined) push(`${base}.user`, `is the same login as ${other}'s; the login tells vendors apart`, 'give every vendor its own SIP2 login');
    users.set(user.toString('hex'), vendorId);
    vendors.push({ vendorId, user, password });
  }
  for (const contract of contracts?.values() ?? []) {
    if (contract.identity.delivery === 'sip2' && !Object.hasOwn(mediator.vendors, contract.id)) {
      warnings.push({ file: contract.file, path: 'identity.delivery', message: `sip2 delivery, but sip2Mediator.vendors has no login for ${contract.id}; this vendor cannot log in`, fix: `add sip2Mediator.vendors.${contract.id}: { user: ..., password: ... } to the settings` });
    }
  }

  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (mediator.tls) {
    const cert = await readFile(place(mediator.tls.cert.file)).catch(() => undefined);
    const key = await readFile(place(mediator.tls.key.file)).catch(() => undefined);
    if (cert === undefined) push('sip2Mediator.tls.cert.file', 'the certificate file cannot be read', 'point it at the PEM certificate chain of the mediator');
    if (key === undefined) push('sip2Mediator.tls.key.file', 'the key file cannot be read', 'point it at the PEM private key of that certificate');
    if (cert !== undefined && key !== undefined) {
      try {
        createSecureContext({ cert, key });
        tls = { cert, key };
      } catch {
        push('sip2Mediator.tls', 'the certificate and key are not PEM, or do not belong together', 'give the PEM certificate chain and its own private key');
      }
    }
  }

  const ilsSettings = settings.patrons.sip2;
  let ils: Sip2MediatorSetup['ils'] | undefined;
  if (ilsSettings === undefined) {
    push('sip2Mediator', 'the mediator asks the library\'s ILS, and patrons.sip2 does not say where it is', 'add patrons.sip2 (host, port, institution, the gateway\'s own login); patrons.source may stay file');
  } else {
    const secret = async (key: 'user' | 'password'): Promise<string | undefined> => {
      const source = ilsSettings[key];
      if (source === undefined) return undefined;
      const result = await readSecret(source, { env, settingsFile: file });
      if ('error' in result) return undefined; // patrons.sip2's own check reports it when it is the patron source
      return result.value.toString('utf8');
    };
    const user = await secret('user');
    const password = await secret('password');
    if ((ilsSettings.user !== undefined && user === undefined) || (ilsSettings.password !== undefined && password === undefined)) {
      push('patrons.sip2', 'the gateway\'s own SIP login (user, password) cannot be read, and the mediator needs it', 'set the variables or files patrons.sip2.user and password name');
    }
    const ca = ilsSettings.ca === undefined ? undefined : await readFile(place(ilsSettings.ca.file)).catch(() => undefined);
    if (ilsSettings.ca !== undefined && ca === undefined) push('patrons.sip2.ca.file', 'the CA file cannot be read', 'point ca.file at the PEM certificate of the CA that signed the ILS certificate');
    ils = { settings: ilsSettings, ...(user !== undefined && password !== undefined ? { credentials: { user, password } } : {}), ...(ca !== undefined ? { ca } : {}) };
  }
  if (problems.length > 0 || ils === undefined) return { problems, warnings };
  return { setup: Object.freeze({ host: mediator.host, port: mediator.port, ...(tls ? { tls } : {}), vendors: Object.freeze(vendors), ilsPool: mediator.ilsPool ?? ils.settings.pool, ils }), problems, warnings };
}
