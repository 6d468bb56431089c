import * as z from 'zod';

/**
 * The `browse:` section of a contract: the vendor is a website, served to the patron's browser on
 * origins of its own under the settings' `browse.proxyDomain` (one origin per upstream host), with
 * its pages rewritten. Each key maps onto an EZproxy directive, so `gateway import-ezproxy` can draft
 * it from a stanza:
 *
 * | key          | EZproxy          |
 * |--------------|------------------|
 * | upstream.url | URL              |
 * | upstream.hosts | Host, HJ       |
 * | domains      | Domain, DJ       |
 * | scriptHosts  | HJ, DJ           |
 * | replace      | Find/Replace     |
 * | neverProxy   | NeverProxy       |
 *
 * The hosts a patron's browser may reach for this vendor are exactly upstream.hosts and the hosts
 * under `domains` (each on its own proxied origin); any other host is blocked and counted.
 */

/** A host name such as www.vendor.com (lower-case letters, digits, hyphens, dots; an optional :port). */
const hostName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, 'write a lower-case host name such as www.vendor.com (with :port only when not 443/80)');

/** A registrable domain or subdomain such as vendor.com: every host under it (and itself). */
const domainName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, 'write a domain such as vendor.com (at least two labels, no wildcard, no port)');

/** One find/replace rule applied to response bodies of the given media types (EZproxy Find/Replace). */
export const browseReplaceSchema = z.strictObject({
  /** The exact text to find (not a regular expression). */
  find: z.string().min(1),
  /** The text put in its place; `{proxy:HOST}` stands for HOST's proxied origin, such as https://www-vendor-com.proxy.example.org. */
  replace: z.string(),
  /** Media types whose bodies this rule applies to (default: text/html, text/javascript, application/javascript, application/json). */
  types: z.array(z.string().regex(/^[a-z0-9.+-]+\/[a-z0-9.+*-]+$/, 'write a media type such as application/javascript')).min(1).optional(),
});

export const browseSchema = z.strictObject({
  /** Every host under these domains is proxied too (EZproxy Domain/DJ). Broad: prefer listing hosts in upstream.hosts. */
  domains: z.array(domainName).default([]),
  /** Hosts whose names are substituted inside JavaScript and JSON bodies by their proxied origins (EZproxy HJ/DJ). Never guessed: only these. */
  scriptHosts: z.array(hostName).default([]),
  /** Find/replace rules on bodies (EZproxy Find/Replace). */
  replace: z.array(browseReplaceSchema).default([]),
  /** Hosts that links may name but that are never proxied: links to them go through the gateway's /leaving page (EZproxy NeverProxy). */
  neverProxy: z.array(hostName).default([]),
  /** First-party collection endpoints on allowed hosts, refused with 403 and counted. */
  block: z
    .strictObject({
      /** Path prefixes on any of the vendor's hosts, such as /analytics/ or /collect. */
      paths: z.array(z.string().regex(/^\//, 'start a path with /, such as /analytics/')).default([]),
      /** Allowed-looking hosts that are really collection endpoints (CNAME-cloaked metrics subdomains). */
      hosts: z.array(hostName).default([]),
      /** Also block the gateway's shipped list of well-known analytics paths (default true). */
      defaults: z.boolean().default(true),
    })
    .default({ paths: [], hosts: [], defaults: true }),
});

export type BrowseDocument = z.output<typeof browseSchema>;
