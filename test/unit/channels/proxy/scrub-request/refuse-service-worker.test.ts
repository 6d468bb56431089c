import { describe, expect, it } from 'vitest';
import { refuseServiceWorker } from '../../../../../src/channels/proxy/scrub-request/refuse-service-worker.ts';
import { GatewayError } from '../../../../../src/errors/gateway-error.ts';

describe('refuseServiceWorker', () => {
  it.each([
    ['Service-Worker: script (the browser fetching a worker to register)', { 'service-worker': 'script' }],
    ['any Service-Worker value', { 'service-worker': '' }],
    ['Sec-Fetch-Dest: serviceworker', { 'sec-fetch-dest': 'serviceworker' }],
    ['Sec-Fetch-Dest in capitals', { 'sec-fetch-dest': 'ServiceWorker' }],
  ])('refuses %s with 403 forbidden, naming no URL', (_name, headers) => {
    let error: unknown;
    try {
      refuseServiceWorker(headers, 'books');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('forbidden');
    expect((error as GatewayError).status).toBe(403);
    // For the log: which vendor and why, never a URL.
    expect((error as GatewayError).detail).toBe('books service worker');
  });

  it.each([
    ['an ordinary request', { accept: 'text/html' }],
    ['a script loaded by a page', { 'sec-fetch-dest': 'script' }],
    ['a document', { 'sec-fetch-dest': 'document' }],
  ])('lets %s through', (_name, headers) => {
    expect(() => refuseServiceWorker(headers, 'books')).not.toThrow();
  });
});
