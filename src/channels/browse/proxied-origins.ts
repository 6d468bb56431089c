import type { CompiledContract } from '../../contracts/compiled-contract.ts';
import { buildLeavingPath } from '../../web/leaving/leaving-path.ts';
import { decodeHostLabel, encodeHostLabel, splitHost } from './host-labels.ts';

/** One upstream host of a browse vendor, and the origin the patron's browser knows it by. */
export interface BrowseHost {
  readonly vendorId: string;
  /** name[:port], the port only when it is not the scheme's default. */
  readonly upstreamHost: string;
  /** scheme://name[:port] */
  readonly upstreamOrigin: string;
  /** scheme://label.proxyDomain */
  readonly proxiedOrigin: string;
  /** A collection endpoint the contract blocks (browse.block.hosts): answered 403 and counted, never reached. */
  readonly blocked: boolean;
}

/** Where a request arriving at the gateway's listener belongs, by its Host. */
export type HostRoute = { readonly kind: 'gateway' } | { readonly kind: 'unknown' } | { readonly kind: 'vendor'; readonly host: BrowseHost };

export interface ProxiedOrigins {
  /** The proxy domain from the settings (with :port when it has one). */
  readonly proxyDomain: string;
  route(hostHeader: string | undefined): HostRoute;
  /** The vendor host of an absolute upstream URL (the contract allows it, exactly or under a domain), or undefined. */
  hostOf(vendorId: string, url: URL): BrowseHost | undefined;
  /**
   * The URL the patron's browser should use for an absolute upstream URL: on the host's proxied
   * origin when the contract allows the host, the gateway's leaving page for a neverProxy host,
   * undefined for any other host.
   */
  mapUrl(vendorId: string, absolute: string): string | undefined;
  /**
   * The proxied origins of the vendor's exact hosts and of the hosts under its domains that its
   * script hosts and find/replace rules name (the CSP's sources, and the origins the hand-off enters).
   */
  originsOf(vendorId: string): ReadonlyArray<string>;
  /** The browse vendor of a contract id, if it is one. */
  has(vendorId: string): boolean;
  /** The first host's proxied origin of a vendor: where /browse/{vendor} starts. */
  startOf(vendorId: string): BrowseHost | undefined;
  /** Problems that must stop startup (labels too long, a host or domain claimed by two vendors). */
  readonly problems: ReadonlyArray<string>;
}

interface VendorHosts {
  readonly scheme: 'http:' | 'https:';
  readonly exact: ReadonlySet<string>;
  readonly domains: ReadonlyArray<string>;
  readonly blocked: ReadonlySet<string>;
  readonly neverProxy: ReadonlySet<string>;
  /** Hosts the contract names outside upstream.hosts: its script hosts and the {proxy:HOST} hosts of its find/replace rules. */
  readonly named: ReadonlyArray<string>;
  readonly start: string;
}

const PROXY_HOST_REFERENCE = /\{proxy:([^}]+)\}/g;

/** The host of a URL as name[:port] with the scheme's default port left out (URL does that). */
function normalizeHost(host: string, scheme: string): string | undefined {
  const parts = splitHost(host);
  if (!parts) return undefined;
  const defaultPort = scheme === 'https:' ? 443 : 80;
  return parts.port === undefined || parts.port === defaultPort ? parts.name : `${parts.name}:${parts.port}`;
}

/**
 * The table of browse vendors' hosts and their origins under `proxyDomain`, built once at startup
 * from the contracts that have a `browse:` section. Exact hosts are the upstream URL's host and
 * upstream.hosts (on the URL's scheme, and on its port unless written with one of their own); a host under one of browse.domains is resolved by its label (labels are
 * reversible, see host-labels.ts). Vendors never share a host, a domain, or so an origin.
 */
export function createProxiedOrigins(options: { proxyDomain: string; secure: boolean; publicOrigin: string; contracts: Iterable<CompiledContract> }): ProxiedOrigins {
  const scheme = options.secure ? 'https:' : 'http:';
  const suffix = `.${options.proxyDomain}`;
  const vendors = new Map<string, VendorHosts>();
  const owners = new Map<string, string>();
  const domainOwners: Array<{ domain: string; vendorId: string }> = [];
  const problems: string[] = [];
  for (const contract of options.contracts) {
    if (!contract.browse || !contract.upstream) continue;
    const url = new URL(contract.upstream.url);
    const upstreamScheme = url.protocol === 'https:' ? 'https:' : 'http:';
    const exact = new Set<string>();
    // A host written without a port is on the upstream URL's port (the scheme's default when the URL names none).
    for (const written of new Set([url.host, ...contract.upstream.hosts.map((host) => (host.includes(':') || url.port === '' ? host : `${host}:${url.port}`))])) {
      const host = normalizeHost(written, upstreamScheme);
      if (host === undefined || encodeHostLabel(host) === undefined) {
        problems.push(`${contract.id}: the host "${written}" has no origin under ${options.proxyDomain} (not a plain host name, or its label would pass 63 characters)`);
        continue;
      }
      exact.add(host);
      const owner = owners.get(host);
      if (owner !== undefined && owner !== contract.id) problems.push(`${contract.id}: the host ${host} is ${owner}'s too; vendors never share an origin`);
      owners.set(host, contract.id);
    }
    for (const domain of contract.browse.domains) {
      for (const other of domainOwners) {
        if (other.vendorId !== contract.id && (isUnder(domain, other.domain) || isUnder(other.domain, domain))) problems.push(`${contract.id}: the domain ${domain} overlaps ${other.vendorId}'s ${other.domain}; vendors never share an origin`);
      }
      domainOwners.push({ domain, vendorId: contract.id });
    }
    vendors.set(contract.id, {
      scheme: upstreamScheme,
      exact,
      domains: contract.browse.domains,
      blocked: new Set(contract.browse.block.hosts.map((host) => normalizeHost(host, upstreamScheme) ?? host)),
      neverProxy: new Set(contract.browse.neverProxy.map((host) => normalizeHost(host, upstreamScheme) ?? host)),
      named: [...contract.browse.scriptHosts, ...contract.browse.replace.flatMap((rule) => [...rule.replace.matchAll(PROXY_HOST_REFERENCE)].map((m) => (m[1] as string).trim()))].flatMap((host) => normalizeHost(host, upstreamScheme) ?? []),
      start: normalizeHost(url.host, upstreamScheme) ?? url.host,
    });
  }
  for (const [host, vendorId] of owners) {
    const name = host.split(':')[0] as string;
    for (const other of domainOwners) if (other.vendorId !== vendorId && isUnder(name, other.domain)) problems.push(`${vendorId}: the host ${host} is under ${other.vendorId}'s domain ${other.domain}; vendors never share an origin`);
  }

  const originOf = (host: string): string => `${scheme}//${encodeHostLabel(host) as string}${suffix}`;
  const vendorOfHost = (host: string): string | undefined => {
    const owner = owners.get(host);
    if (owner !== undefined) return owner;
    // Hosts under a domain carry no port (a contract's domains name default-port hosts only).
    if (host.includes(':')) return undefined;
    let best: { domain: string; vendorId: string } | undefined;
    for (const entry of domainOwners) if (isUnder(host, entry.domain) && (!best || entry.domain.length > best.domain.length)) best = entry;
    return best?.vendorId;
  };
  const describe = (vendorId: string, host: string): BrowseHost => {
    const vendor = vendors.get(vendorId) as VendorHosts;
    return { vendorId, upstreamHost: host, upstreamOrigin: `${vendor.scheme}//${host}`, proxiedOrigin: originOf(host), blocked: vendor.blocked.has(host) };
  };
  // A vendor's origins: its exact hosts, and the hosts its script hosts and find/replace rules name
  // that are under its own domains (pages are expected to load from them), never one of another
  // vendor's; blocked hosts left out.
  const originsByVendor = new Map(
    [...vendors].map(([id, vendor]) => {
      const named = vendor.named.filter((host) => vendorOfHost(host) === id && encodeHostLabel(host) !== undefined);
      return [id, Object.freeze([...new Set([...vendor.exact, ...named])].filter((host) => !vendor.blocked.has(host)).map(originOf))];
    }),
  );

  return {
    proxyDomain: options.proxyDomain,
    problems: Object.freeze(problems),
    route(hostHeader) {
      const host = hostHeader?.toLowerCase();
      if (host === undefined || !host.endsWith(suffix)) return { kind: 'gateway' };
      const label = host.slice(0, -suffix.length);
      const upstream = label.includes('.') ? undefined : decodeHostLabel(label);
      const vendorId = upstream === undefined ? undefined : vendorOfHost(upstream);
      return upstream === undefined || vendorId === undefined ? { kind: 'unknown' } : { kind: 'vendor', host: describe(vendorId, upstream) };
    },
    hostOf(vendorId, url) {
      const vendor = vendors.get(vendorId);
      if (!vendor || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
      const host = normalizeHost(url.host, url.protocol);
      if (host === undefined || vendorOfHost(host) !== vendorId || encodeHostLabel(host) === undefined) return undefined;
      return describe(vendorId, host);
    },
    mapUrl(vendorId, absolute) {
      let url: URL;
      try {
        url = new URL(absolute);
      } catch {
        return undefined;
      }
      const found = this.hostOf(vendorId, url);
      if (found && !found.blocked) return `${found.proxiedOrigin}${url.pathname}${url.search}${url.hash}`;
      const vendor = vendors.get(vendorId);
      const host = normalizeHost(url.host, url.protocol);
      if (vendor && host !== undefined && vendor.neverProxy.has(host) && (url.protocol === 'http:' || url.protocol === 'https:')) return `${options.publicOrigin}${buildLeavingPath(url.href)}`;
      return undefined;
    },
    originsOf(vendorId) {
      return originsByVendor.get(vendorId) ?? [];
    },
    has(vendorId) {
      return vendors.has(vendorId);
    },
    startOf(vendorId) {
      const vendor = vendors.get(vendorId);
      return vendor ? describe(vendorId, vendor.start) : undefined;
    },
  };
}

/** True when `host` is `domain` or a host under it. */
function isUnder(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}
