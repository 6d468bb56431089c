import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BLANK_SUMMARY, type PatronInformationRequest } from '../../src/sip2/messages/patron-information.ts';
import { openSip2Connection, type Sip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../helpers/self-signed-cert.ts';

// The client connection over TLS, without the gateway around it: the certificate is verified
// during the handshake (a failure is `unreachable`, before any byte of SIP2), and an IP address
// as host is verified against the certificate's IP name.

const REQUEST: PatronInformationRequest = { code: '63', language: '000', transactionDate: '20261129   Z120000', summary: BLANK_SUMMARY, institutionId: 'UWOLS', patronIdentifier: 'djfiander', terminalPassword: '', patronPassword: '6789' };

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

let ils: FakeIls | undefined;
let connection: Sip2Connection | undefined;
afterEach(async () => {
  connection?.close();
  connection = undefined;
  await ils?.close();
  ils = undefined;
});

describe('the SIP2 client connection over TLS', () => {
  it('an IP address as host, without servername, is verified against the certificate’s IP name and works', async () => {
    ils = await startFakeIls({ tls: { cert: certificate.cert, key: certificate.key } });
    connection = await openSip2Connection({ host: '127.0.0.1', port: ils.port, tls: { ca: certificate.cert } });
    expect(await connection.exchange(REQUEST, '64')).toMatchObject({ validPatron: true, validPatronPassword: true });
  });

  it.each<[string, 'other' | 'same', string]>([
    ['a certificate signed by another CA', 'other', 'ils.test'],
    ['a certificate for another name', 'same', 'other.test'],
  ])('%s fails the handshake: unreachable, and the ILS receives nothing', async (_name, trusted, servername) => {
    ils = await startFakeIls({ tls: { cert: certificate.cert, key: certificate.key } });
    const ca = trusted === 'other' ? other.cert : certificate.cert;
    const error = await openSip2Connection({ host: '127.0.0.1', port: ils.port, tls: { ca, servername } }, AbortSignal.timeout(3000)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'unreachable' });
    expect(ils.received).toEqual([]);
  });
});
