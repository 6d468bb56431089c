import type { CompiledContract } from '../../../contracts/compiled-contract.ts';
import { GatewayError } from '../../../errors/gateway-error.ts';
import type { ViewValue } from '../../../policy/generalizations/generalization.ts';
import type { Stage } from '../stage.ts';
import { readMediaType } from '../../../lib/media-type.ts';
import { hasBody } from '../scrub-request/body-kind.ts';
import type { AssertionSigner } from './assertion-signer.ts';

/** The default header for a view value with headers delivery: `sub` -> `X-Patron-Sub`. */
export function defaultIdentityHeader(name: string): string {
  return `X-Patron-${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}

/**
 * The request headers that carry identity to this vendor, lowercase: the jwt header, every header
 * name the contract's `identity.names` gives, and the default header of every view name its rules
 * produce (X-Patron-Sub...). Every `x-patron-*` header is treated alike.
 */
function listIdentityHeaders(contract: CompiledContract): ReadonlySet<string> {
  const names = new Set<string>([contract.identity.header.toLowerCase()]);
  for (const name of Object.values(contract.identity.names)) names.add(name.toLowerCase());
  for (const rule of contract.rules) names.add(defaultIdentityHeader(rule.as).toLowerCase());
  return names;
}

function formatValue(value: ViewValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * Deliver identity: put the vendor view (and nothing else) where the contract says. `none` sends
 * nothing; `jwt` a signed assertion in a header; `headers` one header per view value; `query`
 * parameters added to the URL; `form` fields added to urlencoded POST bodies. A patron who is
 * reached anonymously (minors rule `anonymous`) gets no identity whatever the delivery. Values a
 * client sent under the same names are replaced, so a patron cannot forge another's identity.
 */
export function createDeliverIdentityStage(deps: { signer: AssertionSigner }): Stage {
  // Per contract (a fixed set, known at startup): the header names that carry identity to it.
  const identityHeaders = new WeakMap<CompiledContract, ReadonlySet<string>>();
  return {
    name: 'deliver identity',
    run(context) {
      const { contract, result, patron } = context;
      if (!contract || !result || !patron) throw new GatewayError('internal', { detail: 'deliver before gate' });
      const identity = contract.identity;
      let reserved = identityHeaders.get(contract);
      if (!reserved) {
        reserved = listIdentityHeaders(contract);
        identityHeaders.set(contract, reserved);
      }
      // Whatever the delivery (none included) and whatever request.headers allows, a header a
      // client sent under an identity name never reaches the vendor: only the gateway speaks for the patron.
      for (const name in context.headers) {
        if (name.startsWith('x-patron-') || reserved.has(name)) delete context.headers[name];
      }
      const view = result.access === 'identified' ? result.view : {};
      const entries = Object.entries(view);
      const nameFor = (key: string, fallback: (k: string) => string): string => identity.names[key] ?? fallback(key);
      switch (identity.delivery) {
        case 'none':
          return;
        case 'jwt': {
          if (result.access !== 'identified') return;
          const header = identity.header.toLowerCase();
          const deliver = (token: string): void => {
            context.headers[header] = header === 'authorization' ? `Bearer ${token}` : token;
          };
          const token = deps.signer.sign({ result, contract, view, now: context.now });
          if (token instanceof Promise) return token.then(deliver);
          deliver(token);
          return;
        }
        case 'headers':
          for (const [key, value] of entries) context.headers[nameFor(key, defaultIdentityHeader).toLowerCase()] = formatValue(value);
          return;
        case 'query': {
          const params = new URLSearchParams(context.query);
          for (const rule of contract.rules) params.delete(nameFor(rule.as, (k) => k));
          for (const [key, value] of entries) params.append(nameFor(key, (k) => k), formatValue(value));
          context.query = params.toString();
          return;
        }
        case 'form': {
          const isForm = readMediaType(context.req.headers['content-type']) === 'application/x-www-form-urlencoded';
          if (context.req.method !== 'POST' || (context.body === undefined && hasBody(context.req.headers)) || (context.body !== undefined && !isForm)) return;
          const params = new URLSearchParams(context.body?.toString('utf8') ?? '');
          for (const rule of contract.rules) params.delete(nameFor(rule.as, (k) => k));
          for (const [key, value] of entries) params.append(nameFor(key, (k) => k), formatValue(value));
          context.body = Buffer.from(params.toString());
          context.headers['content-type'] = 'application/x-www-form-urlencoded';
          context.headers['content-length'] = String(context.body.length);
          return;
        }
      }
    },
  };
}
