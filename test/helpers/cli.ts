import { generateKeyPairSync } from 'node:crypto';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/run-cli.ts';
import { TEST_MASTER_SECRET } from './contracts.ts';
import { createRsaCertificate } from './saml-sp.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const TEST_SETTINGS = fileURLToPath(new URL('../fixtures/settings/gateway.test.yaml', import.meta.url));

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
// The SAML IdP's RSA key and certificate (the shipped vendors include a saml vendor), made per run.
const samlIdp = createRsaCertificate('test saml idp');

/** The environment the test settings read their secrets from (generated keys, fixed pseudonym secret). */
export const TEST_ENV: Record<string, string> = {
  TEST_PSEUDONYM_SECRET: `base64:${TEST_MASTER_SECRET.toString('base64')}`,
  TEST_SESSION_KEY: `base64:${Buffer.alloc(32, 9).toString('base64')}`,
  TEST_ASSERTION_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  TEST_SAML_KEY: samlIdp.key,
  TEST_SAML_CERT: samlIdp.cert,
};

/** The frozen clock of in-process CLI runs. */
export const CLI_NOW = new Date('2026-11-29T12:00:00Z');

/** Runs the CLI in-process with captured output. */
export async function runGateway(args: string[], env: Record<string, string | undefined> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    now: () => CLI_NOW,
    readStdin: async () => stdin,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Runs the real `gateway` executable as a child process. */
export function spawnGateway(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [`${ROOT}/src/cli/gateway.ts`, ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
