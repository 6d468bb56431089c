import type { OutgoingHttpHeaders } from 'node:http';
import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import { decodeForScan, type CatchLocation, type PatronGuard } from '../../../policy/guard/patron-guard.ts';
import type { ProxyContext } from '../proxy-context.ts';
import type { Stage } from '../stage.ts';
import { classifyBody, hasBody, isListedType } from './body-kind.ts';
import { readBodyFraming } from './body-framing.ts';
import { checkBodyCharset } from './body-charset.ts';
import { scanMultipart } from './scan-multipart.ts';
import { scanText, type ScannedBody } from './scan-text.ts';
import { unescapeJsonText } from './unescape-json-text.ts';
import { dropJsonIdentityKeys } from './drop-json-identity-keys.ts';
import { ALLOWED_REQUEST_HEADERS } from '../../../policy/request-headers.ts';
import { readBody } from './read-body.ts';
import { readMediaType } from '../../../lib/media-type.ts';
import type { VendorCookieReader } from './vendor-cookies.ts';
import type { PatronTagger } from '../../../policy/pseudonyms/patron-tag.ts';
import { refuseServiceWorker } from './refuse-service-worker.ts';
import { untagValidators } from './untag-validators.ts';

/**
 * Scrub request: build the headers the vendor may see from an allowlist, rebuild only this
 * vendor's cookies, rewrite Origin, then look for the patron's own values in the path, query,
 * headers and bodies (JSON, form, text, multipart/form-data), redacting them or blocking the
 * request per the contract's `request.onPatronData`. A body the guard cannot read leaves only
 * when `request.bodyTypes` names its type, re-framed; any other is refused (README, "Request bodies").
 */
export function createScrubRequestStage(deps: { bodyLimit: number; vendorCookies: VendorCookieReader; tagger: PatronTagger }): Stage {
  // Per contract with form delivery (a fixed set, known at startup): the field names that carry identity.
  const identityFields = new WeakMap<CompiledContract, ReadonlySet<string>>();
  const formIdentityFields = (contract: CompiledContract): ReadonlySet<string> | undefined => {
    if (contract.identity.delivery !== 'form') return undefined;
    let fields = identityFields.get(contract);
    if (!fields) {
      fields = new Set(contract.rules.map((rule) => contract.identity.names[rule.as] ?? rule.as));
      identityFields.set(contract, fields);
    }
    return fields;
  };
  return {
    name: 'scrub request',
    run(context) {
      const contract = context.contract;
      const guard = context.guard;
      if (!contract?.upstream || !guard) throw new GatewayError('internal', { detail: 'scrub before match' });
      const req = context.req;
      const redact = contract.request.onPatronData === 'redact';
      const headers: OutgoingHttpHeaders = {};
      const extra = contract.request.headerSet;
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        if (ALLOWED_REQUEST_HEADERS.has(name) || extra.has(name)) headers[name] = value;
      }
      refuseServiceWorker(req.headers, contract.id);
      untagValidators(headers, () => (context.patron ? deps.tagger.tag(context.patron.patronId, contract.id) : undefined));
      const cookies = context.patron ? deps.vendorCookies(req, context.patron.patronId, contract.id) : undefined;
      if (cookies) headers['cookie'] = cookies;
      if (req.headers.origin !== undefined) headers['origin'] = contract.upstream.origin;

      const found = (location: CatchLocation, count: number): void => {
        if (count === 0) return;
        context.catches.push({ location, count });
        if (!redact) {
          throw new GatewayError('patron_data_blocked', { detail: `${contract.id} ${location}` });
        }
      };

      // Path: scan each decoded segment; rebuild only the segments that held patron values.
      const segments = context.upstreamPath.split('/');
      let pathChanged = false;
      for (let i = 0; i < segments.length; i++) {
        const raw = segments[i] ?? '';
        if (raw === '') continue;
        const result = guard.redact(decodeForScan(raw));
        if (result.found > 0) {
          found('path', result.found);
          segments[i] = encodeURIComponent(result.text);
          pathChanged = true;
        }
      }
      if (pathChanged) context.upstreamPath = segments.join('/');

      // Query: keep the raw string unless something had to be redacted.
      if (context.query !== '') {
        const scanned = scanParams(context.query, guard);
        found('query', scanned.found);
        if (scanned.found > 0) context.query = scanned.text;
      }

      // Headers, including rebuilt vendor cookies.
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value !== 'string') continue;
        const result = guard.redact(decodeForScan(value));
        if (result.found > 0) {
          found('header', result.found);
          headers[name] = result.text;
        }
      }

      // Bodies: every body that leaves is either read, checked and sent with a Content-Length of
      // its own, or (a type the contract names that the guard cannot read) streamed with framing
      // of its own; anything else is refused. The scrubbed headers are handed on only once
      // everything has been checked.
      if (hasBody(req.headers)) {
        const framing = readBodyFraming(req.method, req.headers['transfer-encoding']);
        const type = readMediaType(req.headers['content-type']);
        // A body whose type cannot be read, or that has none, cannot be classified, so it does not leave.
        if (type === undefined || type === '') throw new GatewayError('unsupported_body', { detail: contract.id });
        const kind = classifyBody(type);
        const listed = contract.request.bodyTypes;
        // Fail closed: a type the guard cannot read leaves only when the contract names it.
        if (listed ? !isListedType(listed, type) : kind === 'other') throw new GatewayError('unsupported_body', { detail: contract.id });
        if (kind === 'other') {
          // Framing of the gateway's own: the length Node's parser counted out (written plainly,
          // so no vendor reads `010` another way), or chunked again by Node.
          if (framing === 'chunked') {
            delete headers['content-length'];
            headers['transfer-encoding'] = 'chunked';
          } else headers['content-length'] = String(Number(req.headers['content-length']));
          context.headers = headers;
          return;
        }
        const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
        if (encoding !== 'identity') {
          // A compressed body cannot be checked for patron values, so it does not leave.
          throw new GatewayError('unsupported_body', { detail: contract.id });
        }
        // The only wait in this stage: the body has to arrive before it can be checked.
        return readBody(req, deps.bodyLimit).then(async (body) => {
          if (kind !== 'multipart') checkBodyCharset(req.headers['content-type'] ?? '', body);
          const scanned = kind === 'multipart' ? await scanMultipart(body, req.headers['content-type'] ?? '', guard, { listed, scanPart: (part, data) => scanBody(part, data, guard), dropNames: formIdentityFields(contract) }) : scanBody(kind, body, guard);
          found('body', scanned.found);
          context.body = scanned.body;
          const identityNames = kind === 'json' ? formIdentityFields(contract) : undefined;
          if (identityNames !== undefined) context.body = dropJsonIdentityKeys(context.body, identityNames) ?? context.body;
          if (scanned.type !== undefined) headers['content-type'] = scanned.type;
          headers['content-length'] = String(context.body.length);
          context.headers = headers;
        });
      }
      // No body: no framing headers of the patron's travel (Node frames the vendor's request).
      delete headers['content-length'];
      context.headers = headers;
    },
  };
}

/**
 * Query strings and form bodies: counted in place first; rebuilt (every name and value redacted)
 * only when something was found, so a clean request goes out byte for byte as it came.
 */
function scanParams(query: string, guard: PatronGuard): { text: string; found: number } {
  // One pass over the whole string first, at every depth of decoding the per-parameter scan below
  // reaches (the parameter parser's own, then decodeForScan's): decoding it whole can only join
  // names and values, never hide one, so clean here means every name and value is clean.
  const once = decodeForScan(query);
  if (guard.count(query) === 0 && guard.count(once) === 0 && guard.count(decodeForScan(once)) === 0) return { text: query, found: 0 };
  const params = new URLSearchParams(query);
  let total = 0;
  for (const [name, value] of params) total += guard.count(decodeForScan(name)) + guard.count(decodeForScan(value));
  if (total === 0) return { text: query, found: 0 };
  const rebuilt = new URLSearchParams();
  for (const [name, value] of params) rebuilt.append(guard.redact(decodeForScan(name)).text, guard.redact(decodeForScan(value)).text);
  return { text: rebuilt.toString(), found: total };
}

function scanBody(kind: 'json' | 'form' | 'text', body: Buffer, guard: PatronGuard): ScannedBody {
  const text = body.toString('utf8');
  if (kind === 'form') {
    const scanned = scanParams(text, guard);
    return { body: scanned.found > 0 ? Buffer.from(scanned.text) : body, found: scanned.found };
  }
  if (kind === 'text') {
    const scanned = scanText(text, guard);
    return { body: scanned.found > 0 ? Buffer.from(scanned.text) : body, found: scanned.found };
  }
  let parsed: unknown;
  try {
    parsed = text.length === 0 || text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    throw new GatewayError('malformed_json');
  }
  if (parsed === undefined) return { body, found: 0 };
  // Scanned in place, over the whole text at once (one pass of the guard, not one per value): the
  // text with JSON's escapes undone covers every key and value, including an earlier value under a
  // duplicate key and the digits of a number beyond 2^53, both of which JSON.parse drops but which
  // would still leave verbatim. Numbers written another way (2.0000000000001e13) are checked as the
  // vendor's parser reads them. Rebuilt only when a patron value has to be redacted.
  const unescaped = unescapeJsonText(text);
  const decoded = decodeForScan(unescaped);
  let found = guard.count(unescaped);
  if (decoded !== unescaped) found = Math.max(found, guard.count(decoded));
  if (found === 0) found = countNumbers(parsed, guard);
  // Rebuilt from the parsed document (duplicates gone); rounded integers are redacted as well.
  return found === 0 ? { body, found: 0 } : { body: Buffer.from(JSON.stringify(redactJson(parsed, guard, true))), found };
}

/** Patron values among the numbers of a parsed JSON document, as the vendor's parser reads them. */
function countNumbers(value: unknown, guard: PatronGuard): number {
  if (typeof value === 'number') return guard.count(String(value));
  let total = 0;
  if (Array.isArray(value)) {
    for (const inner of value) total += countNumbers(inner, guard);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) total += countNumbers((value as Record<string, unknown>)[key], guard);
  }
  return total;
}

/**
 * A copy of a parsed JSON document with every patron value redacted (numbers become "[redacted]";
 * with `unsafeIntegers`, so do integers JSON.parse had to round, whose digits cannot be checked).
 */
function redactJson(value: unknown, guard: PatronGuard, unsafeIntegers: boolean): unknown {
  if (typeof value === 'string') {
    const result = guard.redact(decodeForScan(value));
    return result.found > 0 ? result.text : value;
  }
  if (typeof value === 'number') {
    return guard.count(String(value)) > 0 || (unsafeIntegers && Number.isInteger(value) && !Number.isSafeInteger(value)) ? '[redacted]' : value;
  }
  if (Array.isArray(value)) return value.map((inner) => redactJson(inner, guard, unsafeIntegers));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[guard.redact(key).text] = redactJson(inner, guard, unsafeIntegers);
    return out;
  }
  return value;
}
