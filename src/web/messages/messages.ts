import type { ErrorCode } from '../../errors/error-catalogue.ts';

/**
 * Every piece of text the gateway shows patrons, in one catalogue per language, so a library can
 * translate or reword it without touching code. English is the reference; a translation must
 * provide every key (the compiler checks).
 */
export interface Messages {
  readonly lang: string;
  readonly languageName: string;
  readonly siteName: string;
  readonly skipToContent: string;
  readonly nav: { readonly home: string; readonly register: string; readonly sharing: string; readonly signIn: string; readonly signOut: string; readonly language: string };
  readonly footer: string;
  /** signInThere: after a service the patron signs in to on its own site, with the library account (SAML). */
  readonly home: { readonly title: string; readonly intro: string; readonly signInThere: string };
  /** The page a patron reaches when a vendor points outside its own space. */
  readonly leaving: {
    readonly title: string;
    readonly explain: string;
    readonly destination: string;
    readonly go: string;
    readonly notLinkable: string;
    readonly unknown: string;
    readonly back: string;
  };
  readonly login: {
    readonly title: string;
    readonly heading: string;
    readonly failed: string;
    readonly barcode: string;
    readonly pin: string;
    readonly submit: string;
    readonly explain: string;
    readonly demoHint: string;
    /** The library's single sign-on (patrons.source: oidc). */
    readonly ssoHeading: string;
    readonly ssoButton: (name: string) => string;
    /** admin.sso: staff sign in to /staff at the library's single sign-on. */
    readonly staffSsoButton: (name: string) => string;
    readonly staffSsoExplain: string;
  };
  /** The page that posts a federated sign-in (SAML) to the service. */
  readonly federation: { readonly sending: (vendor: string) => string; readonly continue: string };
  readonly notice: {
    readonly title: (vendor: string) => string;
    readonly intro: (vendor: string) => string;
    readonly purpose: string;
    readonly receives: (vendor: string) => string;
    readonly receivesNothing: (vendor: string) => string;
    readonly anonymousMinor: (vendor: string) => string;
    readonly optional: string;
    readonly optionalHelp: string;
    readonly alsoShare: (what: string) => string;
    readonly notReceived: string;
    readonly how: string;
    readonly delivery: Readonly<Record<'none' | 'jwt' | 'headers' | 'form' | 'query' | 'sip2' | 'oidc' | 'saml', string>>;
    readonly privacyPolicy: (vendor: string) => string;
    readonly contract: (reference: string, effective: string, expires: string) => string;
    readonly accept: string;
    readonly decline: string;
    readonly changeLater: string;
    /** Browse mode: the website is shown through the library, with its trackers blocked. */
    readonly trackingBlocked: (vendor: string) => string;
  };
  /** How each canonical field is named to a patron ("your email address"). */
  readonly fields: Readonly<Record<string, string>>;
  /** How each kind of released value is described ("your age group"). */
  readonly released: {
    readonly pseudonym: string;
    readonly generalizations: Readonly<Record<string, string>>;
  };
  readonly minors: {
    readonly blockedTitle: string;
    readonly blocked: (vendor: string) => string;
    readonly consentTitle: string;
    readonly consent: (vendor: string) => string;
    readonly parentsCan: string;
    readonly parentSteps: ReadonlyArray<string>;
  };
  readonly register: {
    readonly title: string;
    readonly intro: string;
    readonly vendor: string;
    readonly receives: string;
    readonly how: string;
    readonly contract: string;
    readonly nothing: string;
    readonly onlyWithConsent: (consent: string) => string;
    readonly minors: Readonly<Record<'block' | 'parental-consent' | 'anonymous', string>>;
    readonly under13: string;
    readonly under18: string;
    readonly reviewed: (date: string) => string;
    readonly inForce: (effective: string, expires: string) => string;
    readonly closed: string;
    /** oidc delivery: where a released value travels in the sign-in token (its claim name). */
    readonly inToken: (claim: string) => string;
  };
  readonly sharing: {
    readonly title: string;
    readonly intro: string;
    readonly yourValue: string;
    readonly theyGet: string;
    readonly withheld: string;
    readonly acknowledged: (date: string) => string;
    readonly notAcknowledged: string;
    readonly consents: string;
    readonly noConsents: string;
    readonly revokeAck: string;
    readonly revokeConsent: (what: string) => string;
    readonly blocked: string;
    readonly anonymous: string;
    /** oidc delivery: the service signs the patron in with the library. */
    readonly signsIn: (vendor: string) => string;
  };
  /** One entry per error code of the error catalogue: a missing translation does not compile. */
  readonly errors: Readonly<Record<ErrorCode, { readonly title: string; readonly message: string }>>;
  readonly errorNothingSent: string;
  readonly errorBack: string;
  readonly errorReference: string;
  /** The library's branding around every patron page. */
  readonly brand: { readonly website: string; readonly contact: string; readonly privacyPolicy: string; readonly forgotPin: string; readonly call: (phone: string) => string; readonly email: (address: string) => string; readonly contactPage: string };
  /** Plain words for values. */
  readonly values: { readonly yes: string; readonly no: string; readonly internalId: string; readonly none: string };
  /** The patron pages' newer text (issue 15). */
  readonly patron: {
    readonly search: string;
    readonly searchButton: string;
    readonly searchClear: string;
    readonly searchResults: (count: number, query: string) => string;
    readonly searchNothing: (query: string) => string;
    readonly kinds: Readonly<Record<'econtent' | 'database', string>>;
    readonly closed: string;
    readonly pseudonymMeans: (vendor: string) => string;
    readonly browserSends: (vendor: string) => string;
    readonly notReceivedSummary: (count: number) => string;
    readonly childIntro: (vendor: string) => string;
    readonly childOptional: string;
    readonly unknownAgeOptional: string;
    readonly unknownAgeTitle: string;
    readonly unknownAgeBlocked: (vendor: string) => string;
    readonly unknownAgeSteps: ReadonlyArray<string>;
    readonly sharingSummary: (count: number) => string;
    readonly sharingNothing: string;
    readonly notAccepted: string;
    readonly startSharing: (what: string) => string;
    readonly childCannotShare: string;
    readonly done: {
      readonly acknowledgementWithdrawn: (vendor: string) => string;
      readonly consentWithdrawn: (what: string, vendor: string) => string;
      readonly consentGiven: (what: string, vendor: string) => string;
    };
  };
}
