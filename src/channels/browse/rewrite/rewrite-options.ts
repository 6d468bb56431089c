/**
 * What the browse channel gives the rewriters: how to map an upstream URL, the document's own URL,
 * and the contract's script-host and find/replace rules.
 */

/**
 * Maps an absolute upstream URL (http: or https:) to the URL the patron's browser should use: the
 * proxied origin's URL for an allowed host, the gateway's /leaving?to=... URL for a neverProxy host
 * (links only), or undefined for a host the contract does not allow. On undefined the rewriter
 * writes BLOCKED_URL in its place (nothing is ever loaded or navigated to from it) and calls
 * onBlocked with the host.
 */
export type MapUrl = (absolute: string, kind: UrlKind) => string | undefined;

/** 'navigate': links, forms, meta refresh, Location. 'load': everything the page fetches or embeds (iframes included). */
export type UrlKind = 'navigate' | 'load';

export interface ScriptHost {
  /** The upstream host as written in the contract's browse.scriptHosts (www.vendor.com, or host:port). */
  readonly host: string;
  /** Its proxied origin, with scheme: https://www-vendor-com.proxy.example.org */
  readonly proxied: string;
}

export interface ReplaceRule {
  /** The exact text to find in the upstream body (not a regular expression). */
  readonly find: string;
  /** Its replacement; `{proxy:HOST}` stands for HOST's proxied origin (expanded through mapUrl). */
  readonly replace: string;
  /** Media types the rule applies to (default: DEFAULT_REPLACE_TYPES). */
  readonly types?: ReadonlyArray<string>;
}

export interface RewriteOptions {
  readonly mapUrl: MapUrl;
  /** The upstream URL of the document (relative URLs resolve against it, then against its <base href>). */
  readonly baseUrl: string;
  readonly scriptHosts: ReadonlyArray<ScriptHost>;
  readonly replace: ReadonlyArray<ReplaceRule>;
  /** Called with the host of every URL that mapUrl refused (a tracker, an unlisted CDN). */
  readonly onBlocked?: (host: string) => void;
  /**
   * Called when a body that was meant to be rewritten streams through untouched: 'charset' for an
   * HTML body without a charset in Content-Type whose <meta> declares one we cannot re-encode.
   */
  readonly onUnrewritable?: (reason: 'charset') => void;
}

/** What a refused URL becomes: a blank page that loads nothing and goes nowhere. */
export const BLOCKED_URL = 'about:blank#blocked';

/** The media types a find/replace rule applies to when it lists none (as the contract schema says). */
export const DEFAULT_REPLACE_TYPES: ReadonlyArray<string> = ['text/html', 'text/javascript', 'application/javascript', 'application/json'];
