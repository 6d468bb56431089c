import { importJWK } from 'jose';
import type { CompiledContract } from '../contracts/compiled-contract.ts';
import type { Problem } from '../lib/problem.ts';
import { readSecret } from './read-secret.ts';
import { DEMO_ONLY } from './resolve-sip2-mediator.ts';

/** One vendor's OpenID Connect client with its secret read: what the provider registers. */
export interface OidcClientSetup {
  readonly vendorId: string;
  readonly clientId: string;
  /** client_secret_basic / client_secret_post: the secret (never logged, never quoted in a problem). */
  readonly secret?: string;
  /** private_key_jwt: the vendor's public keys. */
  readonly jwks?: { readonly keys: ReadonlyArray<Readonly<Record<string, unknown>>> };
}

/** The shortest client secret accepted: a guessable secret would let anyone redeem a patron's code. */
export const MIN_CLIENT_SECRET_BYTES = 32;

/**
 * Reads and checks what the oidc contracts name: each client secret (readable, long enough, never
 * a demo-only secret outside demo mode: an error in production, else a warning and no client; a
 * `file` is relative to the contract), each public key
 * (usable as a JWK), and client ids unique across contracts. Problems name the contract and the
 * key, never a value.
 */
export async function resolveOidcClients(
  contracts: ReadonlyMap<string, CompiledContract> | undefined,
  options: { readonly env: Readonly<Record<string, string | undefined>>; readonly demo: boolean; readonly production: boolean },
): Promise<{ clients: OidcClientSetup[]; problems: Problem[]; warnings: Problem[] }> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const clients: OidcClientSetup[] = [];
  const owners = new Map<string, string>();
  for (const contract of contracts?.values() ?? []) {
    const oidc = contract.identity.oidc;
    if (oidc === undefined) continue;
    const push = (path: string, message: string, fix: string): void => void problems.push({ file: contract.file, path, message, fix });
    const owner = owners.get(oidc.clientId);
    if (owner !== undefined) push('identity.oidc.clientId', `"${oidc.clientId}" is already the client id of ${owner}`, 'give every vendor its own client id');
    owners.set(oidc.clientId, contract.id);
    if (oidc.auth.method === 'client_secret_basic') {
      const read = await readSecret(oidc.auth.secret, { env: options.env, settingsFile: contract.file });
      if ('error' in read) {
        push('identity.oidc.clientSecret', read.error, 'set it, or point clientSecret at the right variable or file');
        continue;
      }
      const secret = read.value.toString('utf8');
      // The embedded demo's committed secret never registers a client outside demo mode: in
      // production it stops the gateway; elsewhere (the shipped vendors under test settings) the
      // gateway starts without that client, as a sip2 vendor without credentials does.
      if (!options.demo && secret.startsWith(DEMO_ONLY)) {
        const problem = { file: contract.file, path: 'identity.oidc.clientSecret', message: `is a demo-only secret (it starts with "${DEMO_ONLY}") and demo mode is off; ${contract.id}'s client is not registered, it cannot sign patrons in`, fix: 'give the vendor its own secret from the environment or a secret file' };
        (options.production ? problems : warnings).push(problem);
        continue;
      }
      if (read.value.length < MIN_CLIENT_SECRET_BYTES) {
        push('identity.oidc.clientSecret', `is shorter than ${MIN_CLIENT_SECRET_BYTES} bytes`, 'generate one with openssl rand -base64 32 and give it to the vendor');
        continue;
      }
      clients.push(Object.freeze({ vendorId: contract.id, clientId: oidc.clientId, secret }));
    } else {
      let usable = true;
      for (const [index, key] of oidc.auth.jwks.keys.entries()) {
        try {
          await importJWK({ ...key }, typeof key['alg'] === 'string' ? key['alg'] : defaultAlg(key));
        } catch {
          usable = false;
          push(`identity.oidc.jwks.keys[${index}]`, 'is not a usable public signing key', 'give the vendor\'s public key as a JWK with kty, its key members and alg (ES256, EdDSA, PS256 or RS256)');
        }
      }
      if (usable) clients.push(Object.freeze({ vendorId: contract.id, clientId: oidc.clientId, jwks: oidc.auth.jwks }));
    }
  }
  return { clients, problems, warnings };
}

function defaultAlg(key: Readonly<Record<string, unknown>>): string {
  if (key['kty'] === 'OKP') return 'EdDSA';
  if (key['kty'] === 'RSA') return 'RS256';
  return 'ES256';
}
