/**
 * The staff console's text, one catalogue per language beside the patron pages' (staff-en.ts,
 * staff-es.ts): a translation must provide every key (the compiler checks). Codes (outcomes,
 * deliveries, settings keys) appear only as secondary text.
 */
export interface StaffMessages {
  readonly lang: string;
  readonly title: string;
  /** The home page's link for staff patrons. */
  readonly openConsole: string;
  readonly nav: { readonly label: string; readonly overview: string; readonly explain: string; readonly diff: string; readonly reports: string };
  readonly alerts: {
    readonly heading: string;
    readonly none: string;
    readonly closed: (count: number, days: number, vendors: string) => string;
    readonly notYetOpen: (count: number, days: number, vendors: string) => string;
    readonly closing: (count: number, days: number, vendors: string) => string;
    readonly reviewOverdue: (count: number, vendors: string) => string;
    readonly reviewMissing: (count: number, vendors: string) => string;
    readonly caught: (count: number, window: string, vendors: string) => string;
    readonly blockedMinors: (count: number, window: string, vendors: string) => string;
  };
  readonly basis: {
    readonly prometheus: (at: string) => string;
    readonly notConfigured: string;
    readonly unreachable: string;
    readonly noData: string;
    readonly sinceStart: string;
  };
  readonly windows: Readonly<Record<'24h' | '7d' | '30d', string>>;
  readonly filters: {
    readonly heading: string;
    readonly status: string;
    readonly channel: string;
    readonly window: string;
    readonly sort: string;
    readonly order: string;
    readonly orderOptions: Readonly<Record<'asc' | 'desc', string>>;
    readonly apply: string;
    readonly reset: string;
    readonly statusOptions: Readonly<Record<'all' | 'attention' | 'open' | 'closed', string>>;
    readonly channelOptions: Readonly<Record<'all' | 'proxy' | 'browse' | 'federation' | 'sip2' | 'reports', string>>;
    readonly shown: (shown: number, total: number) => string;
    readonly noneShown: string;
  };
  readonly columns: {
    readonly vendor: string;
    readonly status: string;
    readonly channel: string;
    readonly delivery: string;
    readonly expires: string;
    readonly reviewed: string;
    readonly score: string;
    readonly requests: string;
    readonly declines: string;
    readonly blockedMinors: string;
    readonly caught: string;
    readonly blockedTrackers: string;
  };
  readonly sortBy: (column: string) => string;
  readonly sortedAscending: string;
  readonly sortedDescending: string;
  readonly caption: (window: string) => string;
  readonly scoreHelp: string;
  readonly notAvailable: string;
  readonly notAvailableHelp: string;
  readonly badges: {
    readonly open: string;
    readonly closing: (days: number) => string;
    readonly closed: (days: number) => string;
    readonly notYetOpen: (days: number) => string;
    readonly reviewOverdue: string;
    readonly reviewMissing: string;
  };
  readonly channels: Readonly<Record<'proxy' | 'browse' | 'federation' | 'sip2' | 'reports', string>>;
  /** Identity delivery methods by contract name (an unknown one is shown by its code). */
  readonly deliveries: Readonly<Record<string, string>>;
  readonly trends: Readonly<Record<'up' | 'down' | 'flat' | 'new' | 'gone', string>>;
  readonly previousWindow: (value: string) => string;
  /** Request outcomes (gateway_requests_total's outcome label), in plain words. */
  readonly outcomes: Readonly<Record<string, string>>;
  readonly vendor: {
    readonly title: (name: string) => string;
    readonly facts: string;
    readonly contractReference: string;
    readonly inForce: (effective: string, expires: string) => string;
    readonly noReview: string;
    readonly receivesHeading: string;
    readonly receivesNothing: string;
    readonly plainWords: string;
    readonly contractSays: string;
    readonly field: string;
    readonly onlyWithConsent: string;
    readonly minorsHeading: string;
    readonly under13: string;
    readonly under18: string;
    readonly minorPolicies: Readonly<Record<'block' | 'parental-consent' | 'anonymous', string>>;
    readonly noticeHeading: string;
    readonly noticeVersion: (version: string) => string;
    readonly noticeHistory: string;
    readonly compare: string;
    readonly trafficHeading: string;
    readonly windowsCaption: string;
    readonly measure: string;
    readonly requestsPerDay: (name: string) => string;
    readonly releasesPerDay: (name: string) => string;
    readonly day: string;
    readonly count: string;
    readonly releases: string;
    readonly perDayNeedsPrometheus: string;
    readonly blockedHeading: string;
    readonly blockedExplain: string;
    readonly blockedNone: string;
    readonly blockedHost: string;
    readonly outcomesHeading: string;
    readonly outcome: string;
    readonly noTraffic: string;
    readonly back: string;
    readonly grant: string;
  };
  /** The grant report pages of the console (the report itself is written for the grantor, in English). */
  readonly reports: {
    readonly title: string;
    readonly intro: string;
    readonly grant: string;
    readonly period: string;
    readonly format: string;
    readonly formats: Readonly<Record<'preview' | 'csv' | 'json' | 'html', string>>;
    readonly file: string;
    readonly submit: string;
    readonly previewTitle: (grant: string) => string;
    readonly download: string;
    readonly htmlPage: string;
    readonly minimized: string;
    readonly progress: string;
    readonly reading: (rows: string) => string;
    readonly protecting: (rows: string) => string;
    readonly auditing: (rows: string) => string;
    readonly stopped: string;
    readonly again: string;
    readonly done: (rows: string) => string;
    readonly chooseFile: string;
    readonly failed: string;
  };
  readonly explain: {
    readonly title: string;
    readonly heading: string;
    readonly vendorLabel: string;
    readonly barcode: string;
    readonly at: string;
    readonly submit: string;
    readonly resultHeading: (vendor: string, at: string) => string;
    readonly access: string;
    readonly accessValues: Readonly<Record<string, string>>;
    readonly delivery: string;
    readonly noticeVersion: string;
    readonly field: string;
    readonly why: string;
    readonly errors: { readonly vendor: string; readonly date: string; readonly patron: string };
  };
  readonly diff: {
    readonly title: string;
    readonly heading: string;
    readonly current: string;
    readonly proposed: string;
    readonly submit: string;
    readonly invalid: string;
    readonly overall: string;
    readonly overallValues: Readonly<Record<string, string>>;
    readonly askAgain: string;
    readonly sameNotice: string;
    readonly noChange: string;
    readonly what: string;
    readonly now: string;
    readonly after: string;
    readonly direction: string;
    readonly meaning: string;
  };
}
