import { connect as connectTcp } from 'node:net';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../helpers/self-signed-cert.ts';
import { protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

describe('SIP2 mediator over TLS (sip2Mediator.tls)', () => {
  let h: MediatorHarness;
  let certificate: SelfSignedCertificate;
  beforeAll(async () => {
    certificate = createSelfSignedCertificate('sip2.gateway.test');
    h = await startMediator({ contracts: [sip2Contract('tls-sip')], tls: { cert: certificate.cert, key: certificate.key } });
  });
  afterAll(async () => {
    await h.close();
    certificate.remove();
  });

  it('a vendor that verifies the certificate logs in and gets a minimized answer', async () => {
    const answers = await new Promise<string[]>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: h.port, ca: certificate.cert, servername: 'sip2.gateway.test' });
      const got: string[] = [];
      let buffer = '';
      socket.on('error', reject);
      socket.on('secureConnect', () => socket.write(`${protect(vendorLogin('tls-sip'), 0)}\r`));
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const parts = buffer.split('\r');
        buffer = parts.pop() ?? '';
        got.push(...parts);
        if (got.length === 1) socket.write(`${protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 1)}\r`);
        if (got.length === 2) {
          socket.destroy();
          resolve(got);
        }
      });
    });
    expect(answers[0]).toMatch(/^941/);
    expect(answers[1]).toMatch(/^64 {14}001.*AOUWOLS\|AAdjfiander\|AE\|BLY\|CQY\|AY1AZ[0-9A-F]{4}$/);
  });

  it('plain SIP2 on the TLS port gets nothing and reaches nothing', async () => {
    const before = h.ils.received.length;
    const received = await new Promise<string>((resolve) => {
      const socket = connectTcp(h.port, '127.0.0.1');
      let text = '';
      socket.on('connect', () => socket.write(`${protect(vendorLogin('tls-sip'), 0)}\r`));
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', () => undefined);
      setTimeout(() => socket.destroy(), 1000);
    });
    expect(received).not.toMatch(/94/);
    expect(h.ils.received.length).toBe(before);
  });
});
