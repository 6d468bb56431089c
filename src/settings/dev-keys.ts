import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFile, writeFile, rename } from 'node:fs/promises';

/** Development keys for the embedded demo. Never used when NODE_ENV=production. */
export interface DevKeys {
  readonly pseudonymSecret: string;
  readonly sessionKey: string;
  readonly assertionKey: { readonly kid: string; readonly pem: string };
}

/**
 * Reads the demo's development keys from `file`, creating them on first use (mode 0600, written
 * to a temporary file and renamed). The file is git-ignored: each checkout has its own keys.
 */
export async function loadOrCreateDevKeys(file: string): Promise<{ keys: DevKeys; created: boolean }> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<DevKeys>;
    if (typeof parsed.pseudonymSecret === 'string' && typeof parsed.sessionKey === 'string' && typeof parsed.assertionKey?.pem === 'string') {
      return { keys: parsed as DevKeys, created: false };
    }
  } catch {
    // Missing or unreadable: make new ones below.
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys: DevKeys = {
    pseudonymSecret: `base64:${randomBytes(32).toString('base64')}`,
    sessionKey: `base64:${randomBytes(32).toString('base64')}`,
    assertionKey: { kid: `dev-${randomBytes(4).toString('hex')}`, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  };
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(keys, null, 2), { mode: 0o600 });
  await rename(temporary, file);
  return { keys, created: true };
}
