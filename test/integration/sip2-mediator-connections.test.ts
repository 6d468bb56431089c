import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { converse, protect, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

// Vendor connections as the listener and the mediator see them: a bound on connections at once,
// and the login throttle keyed by each connection's own remote address (two loopback addresses
// stand for two vendor servers).

let h: MediatorHarness | undefined;
const open: Socket[] = [];
afterEach(async () => {
  for (const socket of open.splice(0)) socket.destroy();
  await h?.close();
  h = undefined;
});

/** Logs in from `localAddress` on a raw socket and resolves to the first answer ('' when the connection closed first). */
function loginFrom(port: number, localAddress: string, login: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    open.push(socket);
    let buffer = '';
    socket.on('error', () => resolve(''));
    socket.on('connect', () => socket.write(`${login}\r`));
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      if (buffer.includes('\r')) resolve(buffer.slice(0, buffer.indexOf('\r')));
    });
    socket.on('close', () => resolve(''));
  });
}

describe('SIP2 mediator: vendor connections', () => {
  it('with maxConnections 1, a second vendor connection at once is dropped; the first is still served', async () => {
    h = await startMediator({ contracts: [sip2Contract('conn-sip')], maxConnections: 1 });
    expect(await loginFrom(h.port, '127.0.0.1', protect(vendorLogin('conn-sip'), 0))).toMatch(/^941/);
    expect(await loginFrom(h.port, '127.0.0.1', protect(vendorLogin('conn-sip'), 0))).toBe('');
    const first = open[0] as Socket;
    const answer = new Promise<string>((resolve) => first.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
    first.write(`${protect('9900302.00', 1)}\r`);
    expect(await answer).toMatch(/^98/);
  });

  it('failed logins are throttled per remote address: another address still logs in', async () => {
    h = await startMediator({ contracts: [sip2Contract('conn-sip')], loginFailures: 2 });
    for (let attempt = 0; attempt < 2; attempt++) expect(await loginFrom(h.port, '127.0.0.2', protect('9300CNnobody|COnothing|', 0))).toMatch(/^940/);
    expect(await loginFrom(h.port, '127.0.0.2', protect(vendorLogin('conn-sip'), 0))).toMatch(/^940/);
    expect(await loginFrom(h.port, '127.0.0.1', protect(vendorLogin('conn-sip'), 0))).toMatch(/^941/);
    expect((await converse(h.port, [protect(vendorLogin('conn-sip'), 0)])).answers[0]).toMatch(/^941/);
  });

  it('a throttled login gets 940 and the connection closes: nothing more is answered on it', async () => {
    h = await startMediator({ contracts: [sip2Contract('conn-sip')], loginFailures: 1 });
    expect((await converse(h.port, [protect('9300CNnobody|COnothing|', 0)])).answers[0]).toMatch(/^940/);
    const throttled = await converse(h.port, [protect(vendorLogin('conn-sip'), 0), protect('9900302.00', 1)]);
    expect(throttled.answers).toEqual([expect.stringMatching(/^940AY0/)]);
    expect(throttled.closed).toBe(true);
  });
});
