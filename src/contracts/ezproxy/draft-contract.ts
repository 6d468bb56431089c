import { isNeverForwarded } from '../../policy/request-headers.ts';
import { trackerOf, whyDomainIsBroad } from './classify-host.ts';
import type { Stanza } from './group-stanzas.ts';
import type { Finding, LineOutcome } from './stanza-report.ts';
import type { ConfigLine } from './tokenize-config.ts';

/** The draft contract of one stanza, as the plain object written to YAML (before id uniqueness). */
export interface DraftDocument {
  id: string;
  name: string;
  kind: 'database';
  purpose: string;
  contract: { reference: string; effective: string; expires: string };
  upstream: { url: string; hosts: string[] };
  browse: { domains: string[]; scriptHosts: string[]; replace: Array<{ find: string; replace: string }>; neverProxy: string[] };
  identity: { delivery: 'none' };
  request?: { headers: string[] };
}

export interface DraftedStanza {
  readonly title: string;
  readonly file: string;
  readonly line: number;
  /** Undefined when the stanza cannot make a contract (no usable URL); the reason is in `problems`. */
  readonly document: DraftDocument | undefined;
  readonly outcomes: ReadonlyArray<LineOutcome>;
  readonly findings: ReadonlyArray<Finding>;
  /** Errors in the stanza (a Find without Replace...): the import fails with them. */
  readonly problems: ReadonlyArray<string>;
}

/** The placeholders OCLC's published stanzas use for the library's own values. */
const ANGLE_PLACEHOLDER = /<([A-Za-z_ -]+)>/g;
const XXXX_PLACEHOLDER = /\bX{3,}\b/g;

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const USER_TOKEN = /session:user|\^u|\^U/;
/** The header names a contract's request.headers takes. */
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
/** Header names that say they carry who the patron is. */
const IDENTITY_HEADER = /user|ident|patron|card|email|e-mail|name/i;

/** The title with EZproxy's Title flags (-Hide) and OCLC's "(updated YYYYMMDD)" suffix removed. */
export function cleanTitle(rest: string): { title: string; flags: string[] } {
  const words = rest.split(/\s+/);
  const flags: string[] = [];
  while (words.length > 1 && words[0]?.startsWith('-')) flags.push(words.shift() ?? '');
  return { title: words.join(' ').replace(/\s*\(updated \d{8}\)$/i, ''), flags };
}

/** kebab-case of a title: lower-case letters and digits joined by single hyphens, accents dropped ("vendor" when nothing is left). */
export function kebabId(title: string): string {
  const id = title.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return id === '' ? 'vendor' : id.slice(0, 60).replace(/-$/, '');
}

/** A host or URL's host, lower-cased, with placeholders replaced; undefined when it is not a host. */
function hostOf(value: string): string | undefined {
  const filled = fillPlaceholders(value).toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(filled)) {
    try {
      return new URL(filled).host;
    } catch {
      return undefined;
    }
  }
  const bare = filled.split('/')[0] as string;
  return HOST.test(bare) ? bare : undefined;
}

function fillPlaceholders(value: string): string {
  return value.replace(ANGLE_PLACEHOLDER, (_match, name: string) => `todo-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`).replace(XXXX_PLACEHOLDER, 'todo-xxxx');
}

function hasPlaceholder(value: string): boolean {
  return new RegExp(ANGLE_PLACEHOLDER.source).test(value) || new RegExp(XXXX_PLACEHOLDER.source).test(value);
}

/** Why a positional directive (Option, AddUserHeader, HTTPMethod...) is not carried over, in plain words. */
export function whyPositionalNotCarried(line: ConfigLine): string {
  switch (line.directive) {
    case 'Option':
      return `EZproxy option "${line.rest}" has no contract equivalent: the gateway keeps vendor cookies per origin and decides what it rewrites itself`;
    case 'AddUserHeader':
      return line.rest === '' ? 'turns AddUserHeader off for the stanzas after it: drafts send no identity anyway' : 'pushes patron identity: the drafts are anonymous (identity: { delivery: none }); release fields deliberately in the contract instead';
    case 'HTTPMethod':
      return 'the gateway forwards the methods the vendor\'s pages use: there is no per-method list to carry';
    case 'AnonymousURL':
      return 'browse mode serves signed-in patrons only: URLs open to anyone are not drafted';
    case 'RedirectSafe':
      return 'hosts EZproxy lets redirects reach unproxied: add them to browse.neverProxy by hand if patrons should leave to them';
    case 'ProxyHostnameEdit':
      return 'the gateway names proxied origins itself (www.vendor.com -> www-vendor-com.<proxyDomain>)';
    case 'IncludeFile':
      return 'its lines are read in its place (each accounted for on its own)';
    default:
      return 'not a database directive';
  }
}

/** The identity and exposure findings of a positional line in effect for a stanza. */
export function positionalFindings(line: ConfigLine): Finding[] {
  const at = { file: line.file, line: line.line, text: line.text };
  if (line.directive === 'AddUserHeader' && line.rest !== '') {
    const words = line.rest.split(/\s+/);
    const header = words.filter((w) => !w.startsWith('-')).join(' ');
    const encoded = words.includes('-base64') ? ' (base64-encoded, which hides nothing)' : '';
    return [{ kind: 'identity', ...at, explanation: `EZproxy sends the signed-in patron's username${encoded} to the vendor in the "${header}" header on every request; for most libraries that username is the library card number, so the vendor learns who is reading what` }];
  }
  if (line.directive === 'Option' && /^x-forwarded-for$/i.test(line.rest)) {
    return [{ kind: 'identity', ...at, explanation: 'EZproxy sends the patron\'s own IP address to the vendor in X-Forwarded-For' }];
  }
  return [];
}

/**
 * Turns one stanza into a draft browse contract, an outcome for every line (carried into a dotted
 * path, or not carried with the reason) and plain-language findings: patron identity pushed to the
 * vendor, exposure widened, placeholders to fill in. Anonymous by default; nothing silently dropped.
 */
export function draftContract(stanza: Stanza): DraftedStanza {
  const outcomes: LineOutcome[] = [];
  const findings: Finding[] = [];
  const problems: string[] = [];
  const carry = (line: ConfigLine, into: string): void => {
    outcomes.push({ file: line.file, line: line.line, text: line.text, carriedInto: into, reason: undefined });
  };
  const drop = (line: ConfigLine, reason: string): void => {
    outcomes.push({ file: line.file, line: line.line, text: line.text, carriedInto: undefined, reason });
  };
  const find = (line: ConfigLine, kind: Finding['kind'], explanation: string): void => {
    findings.push({ kind, file: line.file, line: line.line, text: line.text, explanation });
  };
  const placeholderCheck = (line: ConfigLine): void => {
    if (hasPlaceholder(line.rest)) find(line, 'placeholder', 'holds a placeholder for your institution\'s value (drafted as todo-...): replace it in the draft');
  };

  const { title, flags } = cleanTitle(stanza.title.rest);
  carry(stanza.title, flags.length > 0 ? `name (flags ${flags.join(' ')} not carried over: the gateway lists every vendor it serves)` : 'name');
  for (const line of stanza.inEffect) findings.push(...positionalFindings(line));

  let url: string | undefined;
  const hosts: string[] = [];
  const domains: string[] = [];
  const scriptHosts: string[] = [];
  const neverProxy: string[] = [];
  const replace: Array<{ find: string; replace: string }> = [];
  const headers: string[] = [];
  const addUnique = (list: string[], value: string): void => {
    if (!list.includes(value)) list.push(value);
  };
  let pendingFind: ConfigLine | undefined;

  for (const line of stanza.lines) {
    if (pendingFind && line.directive !== 'Replace') {
      problems.push(`${pendingFind.file}:${pendingFind.line}: Find is not followed by a Replace (next is line ${line.line}: ${line.written}); write the Replace line right after its Find`);
      drop(pendingFind, 'Find without Replace');
      pendingFind = undefined;
    }
    switch (line.directive) {
      case 'URL': {
        const words = line.rest.split(/\s+/);
        const flagWords = words.filter((w) => w.startsWith('-'));
        const target = words.filter((w) => !w.startsWith('-')).at(-1) ?? '';
        if (url !== undefined) {
          drop(line, 'a second URL in one stanza: the draft keeps the first');
          break;
        }
        const filled = fillPlaceholders(target);
        let parsed: URL | undefined;
        try {
          parsed = /^https?:\/\//i.test(filled) ? new URL(filled) : undefined;
        } catch {
          // Not a URL: parsed stays undefined.
        }
        if (!parsed) {
          drop(line, target === '' ? 'names no URL (only flags, or nothing)' : `"${target}" is not an http(s) URL`);
          break;
        }
        url = parsed.href;
        addUnique(hosts, parsed.host);
        placeholderCheck(line);
        if (flagWords.length > 0) {
          carry(line, `upstream.url (not carried over: ${flagWords.join(' ')}: the gateway never submits login forms or refreshes on the patron's behalf)`);
        } else carry(line, 'upstream.url');
        break;
      }
      case 'Host':
      case 'HostJavaScript': {
        const host = hostOf(line.rest);
        if (host === undefined) {
          drop(line, `"${line.rest}" is not a host name`);
          break;
        }
        const tracker = trackerOf(host);
        if (tracker !== undefined) {
          find(line, 'exposure', `proxies ${host}, a host of the tracking service ${tracker}: the patron's browsing would reach it through the library`);
          drop(line, `${host} belongs to the tracking service ${tracker}; left out so the gateway blocks it`);
          break;
        }
        placeholderCheck(line);
        addUnique(hosts, host);
        if (line.directive === 'HostJavaScript') {
          addUnique(scriptHosts, host);
          carry(line, 'upstream.hosts, browse.scriptHosts');
        } else carry(line, 'upstream.hosts');
        break;
      }
      case 'Domain':
      case 'DomainJavaScript': {
        const domain = fillPlaceholders(line.rest).toLowerCase().replace(/^\*?\./, '');
        const broad = whyDomainIsBroad(domain);
        const tracker = trackerOf(domain);
        if (broad !== undefined || tracker !== undefined) {
          find(line, 'exposure', broad ?? `every host under ${domain}, the tracking service ${tracker ?? ''}, would be reachable through the library`);
          drop(line, `${broad !== undefined ? 'too broad' : 'a tracking service'}: list the vendor's own hosts in upstream.hosts instead`);
          break;
        }
        if (!DOMAIN.test(domain)) {
          drop(line, `"${line.rest}" is not a domain such as vendor.com`);
          break;
        }
        placeholderCheck(line);
        addUnique(domains, domain);
        if (line.directive === 'DomainJavaScript') {
          addUnique(scriptHosts, domain);
          carry(line, 'browse.domains, browse.scriptHosts');
        } else carry(line, 'browse.domains');
        break;
      }
      case 'Find':
        pendingFind = line;
        break;
      case 'Replace': {
        if (!pendingFind) {
          problems.push(`${line.file}:${line.line}: Replace has no Find before it; write Find <text> on the line above`);
          drop(line, 'Replace without Find');
          break;
        }
        const findLine = pendingFind;
        pendingFind = undefined;
        if (USER_TOKEN.test(line.rest) || USER_TOKEN.test(findLine.rest)) {
          find(line, 'identity', 'writes the patron\'s EZproxy username into the page or its links, where the vendor reads it');
          drop(findLine, 'part of a Find/Replace that inserts the patron\'s username');
          drop(line, 'inserts the patron\'s username: drafts are anonymous');
          break;
        }
        if (findLine.rest === '') {
          drop(findLine, 'a Find with no text: there is nothing to look for');
          drop(line, 'its Find has no text: there is nothing to replace');
          break;
        }
        if (/\^/.test(line.rest)) {
          drop(findLine, 'part of a Find/Replace using EZproxy tokens (^A, ^S...^) with no exact contract equivalent: write it by hand with {proxy:HOST}');
          drop(line, 'uses EZproxy tokens (^A, ^S...^) with no exact contract equivalent: write it by hand with {proxy:HOST}');
          break;
        }
        replace.push({ find: findLine.rest, replace: line.rest });
        carry(findLine, 'browse.replace');
        carry(line, 'browse.replace');
        break;
      }
      case 'NeverProxy': {
        const host = hostOf(line.rest);
        if (line.rest.includes('*') || host === undefined) {
          drop(line, `"${line.rest}" is a wildcard or not a host name: a contract lists exact hosts (hosts not allowed are blocked anyway)`);
          break;
        }
        addUnique(neverProxy, host);
        carry(line, 'browse.neverProxy');
        break;
      }
      case 'HTTPHeader': {
        const words = line.rest === '' ? [] : line.rest.split(/\s+/);
        const names = words.filter((w) => !w.startsWith('-'));
        const isResponse = words.some((w) => w.toLowerCase() === '-response');
        if (isResponse || words.some((w) => /^-(block|unblock)$/i.test(w))) {
          drop(line, 'response-side or block rules are not drafted: add headers to response.headers by hand if the pages need them');
          break;
        }
        const personal = names.filter((name) => IDENTITY_HEADER.test(name));
        for (const name of personal) find(line, 'exposure', `would pass the patron's browser's ${name} header through to the vendor; its name says it identifies a person, so it is left out (add it to request.headers by hand only after checking what it carries)`);
        const others = names.filter((name) => !personal.includes(name));
        const malformed = others.filter((name) => !HEADER_NAME.test(name));
        const refused = others.filter((name) => HEADER_NAME.test(name) && isNeverForwarded(name));
        const kept = others.filter((name) => HEADER_NAME.test(name) && !isNeverForwarded(name));
        for (const name of kept) addUnique(headers, name);
        const reasons = [
          ...(names.length === 0 ? ['names no header: there is nothing to pass through'] : []),
          ...(refused.length > 0 ? [`${refused.join(', ')}: the gateway never forwards it (it can carry identity, address or session)`] : []),
          ...(malformed.length > 0 ? [`${malformed.join(', ')}: not a header name a contract can list (letters, digits and hyphens)`] : []),
          ...(personal.length > 0 ? [`${personal.join(', ')}: its name says it identifies a person`] : []),
        ];
        if (kept.length > 0) {
          find(line, 'exposure', `passes the patron's browser's ${kept.join(', ')} header(s) through to the vendor${kept.some((n) => /token|auth|session/i.test(n)) ? ' (the name suggests it can identify the patron or their session)' : ''}`);
          carry(line, `request.headers${reasons.length > 0 ? ` (not carried over: ${reasons.join('; ')})` : ''}`);
        } else drop(line, reasons.join('; '));
        break;
      }
      case 'FormVariable':
      case 'FormSelect':
      case 'FormSubmit':
        if (USER_TOKEN.test(line.rest)) find(line, 'identity', 'posts the patron\'s EZproxy username to the vendor\'s login form');
        drop(line, 'the gateway never submits login forms on the patron\'s behalf');
        break;
      case 'Identifier':
        find(line, 'identity', 'sends the vendor a stable identifier of the patron, so their visits can be linked');
        drop(line, 'pushes patron identity: release a pseudonym deliberately in the contract\'s fields instead');
        break;
      case 'MimeFilter':
        drop(line, 'the gateway rewrites by media type itself; scriptHosts and replace apply to JavaScript and JSON bodies');
        break;
      case 'Option':
      case 'AddUserHeader':
      case 'HTTPMethod':
      case 'AnonymousURL':
      case 'RedirectSafe':
      case 'ProxyHostnameEdit':
      case 'IncludeFile':
        drop(line, `${whyPositionalNotCarried(line)} (applies from this line on)`);
        break;
      default:
        drop(line, line.directive === undefined ? `unknown directive "${line.written}"` : `${line.directive} has no contract equivalent`);
    }
  }
  if (pendingFind) {
    problems.push(`${pendingFind.file}:${pendingFind.line}: Find is not followed by a Replace (the stanza ends); write the Replace line right after its Find`);
    drop(pendingFind, 'Find without Replace');
  }

  const document: DraftDocument | undefined =
    url === undefined
      ? undefined
      : {
          id: kebabId(title),
          name: title,
          kind: 'database',
          purpose: `Use ${title} through the library`,
          contract: { reference: 'TODO-EZPROXY-IMPORT', effective: '2000-01-01', expires: '2099-12-31' },
          upstream: { url, hosts },
          browse: { domains, scriptHosts, replace, neverProxy },
          identity: { delivery: 'none' },
          ...(headers.length > 0 ? { request: { headers } } : {}),
        };
  return { title, file: stanza.title.file, line: stanza.title.line, document, outcomes, findings, problems };
}
