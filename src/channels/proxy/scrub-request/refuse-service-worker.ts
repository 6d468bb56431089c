import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../../../errors/gateway-error.ts';

/**
 * A vendor's script must never become a service worker on the gateway's origin: registered with
 * scope `/v/<vendor>/` it would sit between the patron and that vendor, outside every stage of
 * the pipeline, for as long as the browser keeps it. Browsers mark the fetch of a service worker's
 * script (`Service-Worker: script`, `Sec-Fetch-Dest: serviceworker`); such a request is refused
 * before anything is sent.
 */
export function refuseServiceWorker(headers: IncomingHttpHeaders, vendorId: string): void {
  if (headers['service-worker'] !== undefined || headers['sec-fetch-dest']?.toLowerCase() === 'serviceworker') {
    throw new GatewayError('forbidden', { detail: `${vendorId} service worker` });
  }
}
