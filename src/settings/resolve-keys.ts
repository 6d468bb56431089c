import { dirname, join } from 'node:path';
import { MIN_MASTER_SECRET_BYTES } from '../policy/pseudonyms/pseudonym-keys.ts';
import type { Problem } from '../lib/problem.ts';
import { decodeSecret, readSecret, type SecretEnvironment } from './read-secret.ts';
import { loadOrCreateDevKeys, type DevKeys } from './dev-keys.ts';
import type { KeySettings } from './load-settings.ts';

/** Key material resolved from the environment, files, or (demo only) development keys. */
export interface KeyMaterial {
  readonly pseudonymSecret: Buffer;
  readonly pseudonymEpoch: number;
  /** Seals new sessions and signs CSRF tokens. */
  readonly sessionKey: Buffer;
  /** Still open sessions and accept CSRF tokens, never seal (a rotation in progress). */
  readonly previousSessionKeys: ReadonlyArray<Buffer>;
  /** PKCS#8 PEM private keys; the first signs. */
  readonly assertionKeys: ReadonlyArray<{ readonly kid: string; readonly alg: 'ES256' | 'EdDSA'; readonly pem: string }>;
  /** True when any key is a generated development key (the caller warns loudly). */
  readonly usingDevKeys: boolean;
  /** Bearer token for /metrics, when configured. */
  readonly metricsToken?: string;
  /** Bearer token for /staff, when configured. */
  readonly staffToken?: string;
}

export interface ResolvedKeys {
  /** Every key, when every secret resolved. */
  readonly keys?: KeyMaterial;
  /** The assertion keys that resolved, even when another secret did not (so they can be checked too). */
  readonly assertionKeys: KeyMaterial['assertionKeys'];
  readonly problems: Problem[];
}

export interface ResolveKeysOptions {
  /** false: never fall back to development keys, even in demo mode (NODE_ENV=production). Default: the settings' demo flag. */
  readonly devKeys?: boolean;
}

/** The development keys file, beside the settings file and ignored by git. */
export function locateDevKeysFile(settings: Pick<KeySettings, 'file'>): string {
  return join(dirname(settings.file), '.dev-keys.json');
}

/**
 * Resolves every secret the settings name. A configured source always wins; in demo mode a
 * missing one is filled from the development keys file. Returns every problem at once.
 */
export async function resolveKeys(settings: KeySettings, environment: SecretEnvironment, options: ResolveKeysOptions = {}): Promise<ResolvedKeys> {
  const problems: Problem[] = [];
  const file = settings.file;
  let dev: DevKeys | undefined;
  if (settings.demo && options.devKeys !== false) {
    const devFile = locateDevKeysFile(settings);
    try {
      dev = (await loadOrCreateDevKeys(devFile)).keys;
    } catch {
      problems.push({ file: devFile, path: '', message: 'the development keys file cannot be read or created', fix: 'make the folder of the settings file writable, or set demo: false and give real secrets' });
    }
  }
  let usingDevKeys = false;

  const resolveOne = async (path: string, source: Parameters<typeof readSecret>[0] | undefined, fallback: string | undefined, minBytes: number): Promise<Buffer | undefined> => {
    if (source === undefined) {
      if (fallback === undefined) {
        problems.push({ file, path, message: 'is not configured', fix: `add ${path}: { env: NAME } or { file: PATH }` });
        return undefined;
      }
      usingDevKeys = true;
      return decodeSecret(fallback);
    }
    const result = await readSecret(source, { ...environment, settingsFile: file });
    if ('error' in result) {
      problems.push({ file, path, message: result.error, fix: 'set it, or point the setting at the right variable or file' });
      return undefined;
    }
    if (result.value.length < minBytes) {
      problems.push({ file, path, message: `is shorter than ${minBytes} bytes`, fix: `use at least ${minBytes} random bytes, for example "base64:" followed by: openssl rand -base64 32` });
      return undefined;
    }
    return result.value;
  };

  const pseudonymSecret = await resolveOne('secrets.pseudonymSecret', settings.secrets.pseudonymSecret, dev?.pseudonymSecret, MIN_MASTER_SECRET_BYTES);
  const sessionKey = await resolveOne('secrets.sessionKey', settings.secrets.sessionKey, dev?.sessionKey, 32);
  const previousSessionKeys: Buffer[] = [];
  for (const [index, source] of settings.secrets.previousSessionKeys.entries()) {
    const previous = await resolveOne(`secrets.previousSessionKeys[${index}]`, source, undefined, 32);
    if (previous) previousSessionKeys.push(previous);
  }
  if (sessionKey && previousSessionKeys.some((previous) => previous.equals(sessionKey))) {
    const index = previousSessionKeys.findIndex((previous) => previous.equals(sessionKey));
    problems.push({ file, path: `secrets.previousSessionKeys[${index}]`, message: 'is the same key as secrets.sessionKey', fix: 'list only the old key here; the key that seals new sessions is secrets.sessionKey' });
  }
  const assertionKeys: Array<KeyMaterial['assertionKeys'][number]> = [];
  for (const [index, key] of settings.secrets.assertionKeys.entries()) {
    const pem = await resolveOne(`secrets.assertionKeys[${index}].privateKey`, key.privateKey, undefined, 1);
    if (pem) assertionKeys.push({ kid: key.kid, alg: key.alg, pem: pem.toString('utf8') });
  }
  if (assertionKeys.length === 0 && settings.secrets.assertionKeys.length === 0 && dev) {
    usingDevKeys = true;
    assertionKeys.push({ kid: dev.assertionKey.kid, alg: 'ES256', pem: dev.assertionKey.pem });
  }
  const metricsToken = settings.admin.metricsToken ? await resolveOne('admin.metricsToken', settings.admin.metricsToken, undefined, 16) : undefined;
  const staffToken = settings.admin.staffToken ? await resolveOne('admin.staffToken', settings.admin.staffToken, undefined, 16) : undefined;
  if (problems.length > 0 || !pseudonymSecret || !sessionKey) return { assertionKeys, problems };
  return {
    keys: Object.freeze({
      pseudonymSecret,
      pseudonymEpoch: settings.secrets.pseudonymEpoch,
      sessionKey,
      previousSessionKeys: Object.freeze(previousSessionKeys),
      assertionKeys: Object.freeze(assertionKeys),
      usingDevKeys,
      ...(metricsToken ? { metricsToken: metricsToken.toString('utf8') } : {}),
      ...(staffToken ? { staffToken: staffToken.toString('utf8') } : {}),
    }),
    assertionKeys,
    problems,
  };
}
