import { startGateway, type Harness, type HarnessOptions } from './gateway-harness.ts';

/** The test OpenID Connect client's secret (from the environment, as a library's would be). */
export const COURSES_SECRET = 'test-courses-client-secret-0123456789abcdef';
export const COURSES_CLIENT = 'courses-client';
/** The relying party's callback: never served, the browser stops at the redirect to it. */
export const COURSES_CALLBACK = 'http://127.0.0.1:9/callback';

/** An oidc contract releasing a pseudonym, a first name, email with consent, an age band, a ZIP prefix and the city. */
export function coursesContract(options: { scopes?: string; minors?: string; id?: string; clientId?: string } = {}): string {
  return `id: ${options.id ?? 'courses-oidc'}
name: Demo Courses
kind: econtent
purpose: Online courses
contract: { reference: T-OIDC, effective: 2026-01-01, expires: 2027-12-31 }
identity:
  delivery: oidc
  oidc:
    clientId: ${options.clientId ?? COURSES_CLIENT}
    redirectUris: [${COURSES_CALLBACK}]
    clientSecret: { env: COURSES_SECRET }
    scopes: [${options.scopes ?? 'openid, profile, email'}]
fields:
  patronId: { action: pseudonymize, as: sub }
  firstName: { action: pass }
  email: { action: pass, consent: share-email-with-vendors }
  birthDate: { action: generalize, to: ageBand }
  address.postalCode: { action: generalize, to: postalCode3 }
  address.city: { action: pass }
minors: { under13: ${options.minors ?? 'block'} }
`;
}

/** Canary values: none of them may ever leave in a token, a log line or a metric unless the view holds it. */
export const CANARY = {
  barcode: '29000000077001',
  lastName: 'Canarylastname',
  phone: '+1-555-0177-321',
  street: '77 Canaryfeather Lane',
  birthDate: '1988-04-17',
  postalCode: '06880',
  patronId: 'ils-canary-77001',
} as const;

export const OIDC_PATRONS = [
  {
    pin: '1111',
    record: {
      patronId: CANARY.patronId,
      barcode: CANARY.barcode,
      firstName: 'Ada',
      lastName: CANARY.lastName,
      email: 'ada.canary@example.org',
      phone: CANARY.phone,
      address: { street: CANARY.street, city: 'Westport', state: 'CT', postalCode: CANARY.postalCode },
      birthDate: CANARY.birthDate,
      patronType: 'adult',
      homeBranch: 'central',
      language: 'en',
      consents: ['share-email-with-vendors'],
    },
  },
  { pin: '4444', record: { patronId: 'ils-minor-4', barcode: '29000000077004', firstName: 'Dev', lastName: 'Minorlast', birthDate: '2014-06-01', patronType: 'juvenile' } },
] as const;

export async function startOidcGateway(options: Partial<HarnessOptions> = {}): Promise<Harness> {
  return startGateway({
    contracts: { 'courses-oidc': coursesContract() },
    patrons: OIDC_PATRONS.map((p) => ({ pin: p.pin, record: { ...p.record } })),
    ...options,
    env: { COURSES_SECRET, ...options.env },
  });
}
