/**
 * Resolves what the SIP2 patron source needs beyond its settings (the gateway's SIP login from its
 * secret sources, the CA file) and opens it. Problems name the setting and never a value.
 */
import { readFile } from 'node:fs/promises';
import type { Problem } from '../lib/problem.ts';
import type { Sip2PatronSettings } from '../settings/patron-source-settings.ts';
import { readSecret } from '../settings/read-secret.ts';
import type { LoadedPatrons } from './file-patron-source.ts';
import { openSip2PatronSource } from './open-sip2-patron-source.ts';

export interface LoadSip2Options {
  /** The settings file, for problems. */
  readonly file: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => number;
  readonly cache: { readonly max: number; readonly ttlMs: number };
}

export async function loadSip2Patrons(settings: Sip2PatronSettings, options: LoadSip2Options): Promise<{ patrons?: LoadedPatrons; problems: Problem[] }> {
  const problems: Problem[] = [];
  const secret = async (key: 'user' | 'password'): Promise<string | undefined> => {
    const source = settings[key];
    if (source === undefined) return undefined;
    const result = await readSecret(source, { env: options.env, settingsFile: options.file });
    if ('error' in result) {
      problems.push({ file: options.file, path: `patrons.sip2.${key}`, message: result.error, fix: 'set it, or point the setting at the right variable or file' });
      return undefined;
    }
    const text = result.value.toString('utf8');
    if (/[|\r\n]/.test(text) || text.length > 255) {
      problems.push({ file: options.file, path: `patrons.sip2.${key}`, message: 'contains |, CR or LF, or is longer than 255 characters (it cannot travel in a SIP2 93)', fix: 'use the SIP account exactly as the ILS knows it' });
      return undefined;
    }
    return text;
  };
  const user = await secret('user');
  const password = await secret('password');
  let ca: Buffer | undefined;
  if (settings.ca !== undefined) {
    try {
      ca = await readFile(settings.ca.file);
    } catch {
      problems.push({ file: options.file, path: 'patrons.sip2.ca.file', message: 'the CA file cannot be read', fix: 'point ca.file at the PEM certificate of the CA that signed the ILS certificate' });
    }
  }
  if (problems.length > 0) return { problems };
  const source = openSip2PatronSource({
    settings,
    credentials: user !== undefined && password !== undefined ? { user, password } : undefined,
    ca,
    now: options.now,
    cache: options.cache,
  });
  return { patrons: { source, count: 0, patrons: [], skipped: [], close: () => source.close() }, problems };
}
