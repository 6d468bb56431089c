/**
 * Boot's part for the library's single sign-on (patrons.oidc, admin.sso): the client secrets
 * read, the clients made, and the provider's discovery tried once. A provider that cannot be
 * reached at startup is a warning, not a problem: the gateway starts, and a sign-in while it is
 * down shows the sso_unavailable page (discovery is tried again then).
 */
import type { Problem } from '../../lib/problem.ts';
import { readSecret } from '../../settings/read-secret.ts';
import type { SsoClientSettings } from '../../settings/sso-settings.ts';
import { createSsoClient, type SsoClient } from './sso-client.ts';

/** The gateway's callback paths, registered at the provider as {publicUrl}{path}. */
export const PATRON_SSO_CALLBACK = '/login/oidc/callback';
export const STAFF_SSO_CALLBACK = '/staff/login/oidc/callback';

export interface SsoSetup {
  /** patrons.source: oidc. */
  readonly patrons?: SsoClient;
  /** admin.sso. */
  readonly staff?: SsoClient;
}

export interface LoadSsoOptions {
  /** The settings file, for problems. */
  readonly file: string;
  readonly publicUrl: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly patrons?: (SsoClientSettings & { readonly claims: Readonly<Record<string, string>> }) | undefined;
  readonly staff?: SsoClientSettings | undefined;
}

export async function loadSsoClients(options: LoadSsoOptions): Promise<{ setup: SsoSetup; problems: Problem[]; warnings: Problem[] }> {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const make = async (settings: SsoClientSettings, path: string, callback: string, neededClaims: string[]): Promise<SsoClient | undefined> => {
    const secret = await readSecret(settings.clientSecret, { env: options.env, settingsFile: options.file });
    if ('error' in secret) {
      problems.push({ file: options.file, path: `${path}.clientSecret`, message: secret.error, fix: 'set it to the client secret IT registered for the gateway at the provider, or point the setting at the right variable or file' });
      return undefined;
    }
    const client = createSsoClient({ settings, clientSecret: secret.value.toString('utf8'), redirectUri: new URL(callback, options.publicUrl).href, neededClaims });
    const discovered = await client.discover();
    if (!discovered.ok) {
      warnings.push({
        file: options.file,
        path: `${path}.issuer`,
        message: `the provider's discovery document could not be read (${discovered.reason}); the gateway starts, and sign-in there shows "the library's sign-in service is not answering" until it can be`,
        fix: 'check the issuer (its /.well-known/openid-configuration must answer), the network, and that the provider is up',
      });
    }
    return client;
  };
  const staffClaimNames = (settings: SsoClientSettings): string[] => (settings.staffClaim ? [settings.staffClaim.claim] : []);
  const [patrons, staff] = await Promise.all([
    options.patrons ? make(options.patrons, 'patrons.oidc', PATRON_SSO_CALLBACK, [...Object.values(options.patrons.claims), ...staffClaimNames(options.patrons)]) : undefined,
    options.staff ? make(options.staff, 'admin.sso', STAFF_SSO_CALLBACK, staffClaimNames(options.staff)) : undefined,
  ]);
  return { setup: { ...(patrons ? { patrons } : {}), ...(staff ? { staff } : {}) }, problems, warnings };
}
