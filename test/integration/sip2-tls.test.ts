import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../helpers/self-signed-cert.ts';
import { postSignIn, readSessionCookie, startSip2Gateway, type Sip2Gateway } from '../helpers/sip2-gateway.ts';

// Certificates are made per run with the openssl CLI (test/helpers/self-signed-cert.ts).
let certificate: SelfSignedCertificate;
let other: SelfSignedCertificate;
beforeAll(() => {
  certificate = createSelfSignedCertificate('ils.test');
  other = createSelfSignedCertificate('ils.test');
});
afterAll(() => {
  certificate.remove();
  other.remove();
});

let running: Sip2Gateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('SIP2 to the ILS over TLS (patrons.sip2.tls, ca, servername)', () => {
  it('with tls: true, the CA that signed the ILS certificate and its name, the patron signs in over TLS', async () => {
    running = await startSip2Gateway({ ils: { tls: { cert: certificate.cert, key: certificate.key } }, sip2: { tls: true, ca: { file: certificate.certFile }, servername: 'ils.test' } });
    const response = await postSignIn(running.gateway.url, 'djfiander', '6789');
    expect(response.status).toBe(303);
    expect(readSessionCookie(response)).toBeDefined();
    expect(running.ils.count('63')).toBe(1);
  });

  it.each([
    ['a certificate the gateway does not trust (no ca: the system CAs)', {}],
    ['a certificate signed by another CA', { ca: 'other' }],
    ['a certificate for another name than servername', { servername: 'not-the-ils.test' }],
  ])('%s: 503, and no message (no PIN) reaches the ILS', async (_name, settings) => {
    const ca = 'ca' in settings ? { ca: { file: other.certFile } } : 'servername' in settings ? { ca: { file: certificate.certFile } } : {};
    running = await startSip2Gateway({ ils: { tls: { cert: certificate.cert, key: certificate.key } }, sip2: { tls: true, servername: 'ils.test', ...ca, ...('servername' in settings ? { servername: settings.servername } : {}) } });
    expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(503);
    expect(running.ils.received).toEqual([]);
  });

  it('an ILS that speaks TLS to a gateway configured for plain TCP: 503 (the gateway never reads TLS records as SIP2)', async () => {
    running = await startSip2Gateway({ ils: { tls: { cert: certificate.cert, key: certificate.key } }, sip2: { timeoutMs: 300 } });
    expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(503);
  });

  it('a gateway configured for TLS against a plain-TCP ILS: 503, and the PIN never leaves in clear', async () => {
    running = await startSip2Gateway({ sip2: { tls: true, ca: { file: certificate.certFile }, servername: 'ils.test', timeoutMs: 300 } });
    expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(503);
    // The ILS saw only the start of a TLS handshake: no 93, no 63, no PIN, no SIP password.
    expect(running.ils.count('93') + running.ils.count('63')).toBe(0);
    const seen = running.ils.received.map((message) => message.text).join('\n');
    for (const secret of ['6789', 'djfiander', 'gw-sip-secret']) expect(seen).not.toContain(secret);
  });
});
