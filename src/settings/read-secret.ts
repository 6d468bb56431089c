import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SecretSource } from './settings-schema.ts';

/** Where a secret's text is read from. The process environment is passed in by main.ts or the CLI. */
export interface SecretEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The settings file: a relative secret file is relative to its folder, as every path in it is. */
  readonly settingsFile?: string;
}

/**
 * Reads a secret from its source and decodes it: `base64:...` and `hex:...` are decoded, anything
 * else is taken as UTF-8 bytes. Returns what is wrong without ever quoting the value.
 */
export async function readSecret(source: SecretSource, environment: SecretEnvironment): Promise<{ value: Buffer } | { error: string }> {
  let text: string | undefined;
  if ('env' in source) {
    text = environment.env[source.env];
    if (text === undefined || text === '') return { error: `environment variable ${source.env} is not set` };
  } else {
    try {
      const path = environment.settingsFile === undefined ? source.file : resolve(dirname(resolve(environment.settingsFile)), source.file);
      text = await readFile(path, 'utf8');
    } catch {
      return { error: `secret file ${source.file} cannot be read` };
    }
  }
  return { value: decodeSecret(text.trim()) };
}

export function decodeSecret(text: string): Buffer {
  if (text.startsWith('base64:')) return Buffer.from(text.slice(7), 'base64');
  if (text.startsWith('hex:')) return Buffer.from(text.slice(4), 'hex');
  return Buffer.from(text, 'utf8');
}
