import type { ProxyContext } from '../proxy/proxy-context.ts';
import type { BrowseHost } from './proxied-origins.ts';

/** A proxied request on a vendor origin: the /v/ pipeline's context and the vendor host it is for. */
export interface BrowseContext extends ProxyContext {
  readonly host: BrowseHost;
}
