import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Problem } from '../lib/problem.ts';
import type { Settings } from './load-settings.ts';
import { readSecret } from './read-secret.ts';

/** Where the shared state lives, with its secrets and files read: what main.ts connects with. */
export interface SharedStateSetup {
  readonly required: boolean;
  readonly startTimeoutSeconds: number;
  /** Absent: one node's memory. */
  readonly redis?: {
    /** Never logged, never shown: it may hold a password. */
    readonly url: string;
    readonly username?: string;
    readonly password?: string;
    /** TLS: rediss://, or state.redis.tls given. */
    readonly tls?: { readonly ca?: Buffer };
    readonly keyPrefix: string;
  };
}

/**
 * Reads what state.redis names (the URL when it is a secret, the password, the CA file) and checks
 * it. Problems name the setting, never a value (a URL may hold a password).
 */
export async function resolveSharedState(settings: Settings, env: Readonly<Record<string, string | undefined>>): Promise<{ setup?: SharedStateSetup; problems: Problem[] }> {
  const file = settings.file;
  const state = settings.state;
  const problems: Problem[] = [];
  const push = (path: string, message: string, fix: string): void => void problems.push({ file, path, message, fix });
  const redis = state.redis;
  if (redis === undefined) {
    if (state.required) push('state.required', 'is true, and state.redis does not say where Redis is', 'add state.redis.url (redis://HOST:PORT, or { env: REDIS_URL }), or set state.required: false for a single node');
    return problems.length > 0 ? { problems } : { setup: { required: false, startTimeoutSeconds: state.startTimeoutSeconds }, problems };
  }
  let url: string | undefined;
  if (typeof redis.url === 'string') url = redis.url;
  else {
    const read = await readSecret(redis.url, { env, settingsFile: file });
    if ('error' in read) push('state.redis.url', read.error, 'set it to redis://HOST:PORT (rediss:// for TLS)');
    else {
      url = read.value.toString('utf8');
      const problem = describeSecretUrl(url);
      if (problem !== undefined) {
        push('state.redis.url', problem, 'set the variable or file to redis://[USER:PASSWORD@]HOST:PORT[/DB] (rediss:// for TLS)');
        url = undefined;
      }
    }
  }
  let password: string | undefined;
  if (redis.password !== undefined) {
    const read = await readSecret(redis.password, { env, settingsFile: file });
    if ('error' in read) push('state.redis.password', read.error, 'set it, or point the setting at the right variable or file');
    else password = read.value.toString('utf8');
  }
  let ca: Buffer | undefined;
  if (redis.tls?.ca !== undefined) {
    ca = await readFile(resolve(dirname(resolve(file)), redis.tls.ca.file)).catch(() => undefined);
    if (ca === undefined) push('state.redis.tls.ca.file', 'the CA file cannot be read', 'point it at the PEM certificate of the CA that signed the Redis server certificate');
  }
  if (problems.length > 0 || url === undefined) return { problems };
  const tls = redis.tls !== undefined || url.startsWith('rediss:') ? { ...(ca ? { ca } : {}) } : undefined;
  return {
    setup: {
      required: state.required,
      startTimeoutSeconds: state.startTimeoutSeconds,
      redis: { url, ...(redis.username ? { username: redis.username } : {}), ...(password !== undefined ? { password } : {}), ...(tls ? { tls } : {}), keyPrefix: redis.keyPrefix },
    },
    problems,
  };
}

/** What is wrong with a URL read from a secret, in words that never quote it. */
function describeSecretUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return 'does not start with redis:// or rediss://';
  if (url.hostname === '') return 'names no host';
  return undefined;
}
