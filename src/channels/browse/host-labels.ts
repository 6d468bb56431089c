/**
 * The label one upstream host gets under the proxy domain, and back. Reversible, so a host under a
 * contract's `domains` needs no table: a hyphen is doubled, a dot becomes one hyphen, and a port
 * (other than the scheme's default) is appended as `---p<port>`:
 *
 *   www.vendor.com        -> www-vendor-com
 *   e-books.vendor.com    -> e--books-vendor-com
 *   api.vendor.com:8443   -> api-vendor-com---p8443
 *
 * In a valid host a dot never touches a hyphen, so in a label a run of one hyphen is a dot, an even
 * run is that many halved hyphens, and a run of three can only be the port's mark.
 */

/** At most 63 characters per DNS label (RFC 1035). */
export const MAX_LABEL_LENGTH = 63;

const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/** The host (name, and :port when given) split, lower-cased; undefined when it is not a plain host name with an optional port. */
export function splitHost(host: string): { name: string; port: number | undefined } | undefined {
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(host.toLowerCase());
  if (!match) return undefined;
  const name = match[1] as string;
  if (!HOST_NAME.test(name)) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && (port < 1 || port > 65_535)) return undefined;
  return { name, port };
}

/** The label of `host` (a name with an optional :port), or undefined when the host is not a plain name or its label would be too long. */
export function encodeHostLabel(host: string): string | undefined {
  const parts = splitHost(host);
  if (!parts) return undefined;
  const label = parts.name.replaceAll('-', '--').replaceAll('.', '-') + (parts.port === undefined ? '' : `---p${parts.port}`);
  return label.length <= MAX_LABEL_LENGTH ? label : undefined;
}

/** The host a label stands for (name, with :port when it carries one), or undefined for a label no host encodes to. */
export function decodeHostLabel(label: string): string | undefined {
  if (label.length === 0 || label.length > MAX_LABEL_LENGTH) return undefined;
  const portMatch = /^(.*)---p(\d{1,5})$/.exec(label);
  const body = portMatch ? (portMatch[1] as string) : label;
  const name = body.replace(/-+/g, (run) => (run.length === 1 ? '.' : run.length % 2 === 0 ? '-'.repeat(run.length / 2) : '\u0000'));
  const host = portMatch ? `${name}:${portMatch[2]}` : name;
  // Canonical only: the label must be exactly what its host encodes to (no leading zeros, no stray runs).
  return encodeHostLabel(host) === label ? host : undefined;
}
