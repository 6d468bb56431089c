import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { converse, protect } from '../helpers/sip2-mediator-harness.ts';
import { findFreePort } from '../helpers/free-port.ts';
import { startRedis, type TestRedis } from '../helpers/redis-server.ts';
import { readinessOf, waitUntil } from '../helpers/wait-until.ts';

/**
 * README "Shared state": the SIP2 mediator's throttles are the gateway's shared throttles. Two
 * gateways with their mediators share one real Redis: wrong PINs for a card spread over both are
 * throttled at the same count as on one. With Redis down a vendor's login is neither checked nor
 * counted: the connection closes (fail closed), and works again once Redis is back.
 */
const CONTRACT = `id: hoopla-sip
name: Hoopla over SIP2
kind: econtent
purpose: Checks library cards
contract: { reference: T-hoopla, effective: 2026-01-01, expires: 2027-12-31 }
identity: { delivery: sip2 }
fields: { patronId: { action: pseudonymize } }
`;
const PIN_LIMIT = 3;
const LOGIN = '9300CNhoopla-login|COhoopla-secret|';

let ils: FakeIls;
let redis: TestRedis;
const gateways: Array<{ gateway: Harness; port: number }> = [];

beforeAll(async () => {
  ils = await startFakeIls();
  redis = await startRedis();
  for (let i = 0; i < 2; i++) {
    const port = await findFreePort();
    const gateway = await startGateway({
      contracts: { 'hoopla-sip': CONTRACT },
      patrons: [{ record: { patronId: 'p-1', barcode: '1', birthDate: '1980-01-01' }, pin: '1' }],
      patronSettings: { file: 'patrons.yaml', sip2: { host: '127.0.0.1', port: ils.port, institution: 'UWOLS', user: { env: 'ILS_USER' }, password: { env: 'ILS_PASSWORD' }, dialect: { birthDate: 'PB' } } },
      settings: { sip2Mediator: { host: '127.0.0.1', port, vendors: { 'hoopla-sip': { user: { env: 'HOOPLA_USER' }, password: { env: 'HOOPLA_PASSWORD' } } } } } as never,
      env: { ILS_USER: 'scclient', ILS_PASSWORD: 'clientpwd', HOOPLA_USER: 'hoopla-login', HOOPLA_PASSWORD: 'hoopla-secret' },
      loginAttemptsPerMinute: PIN_LIMIT,
      state: { redis: { url: redis.url } },
    });
    const sip2 = gateway.app.sip2;
    if (!sip2) throw new Error('the gateway started no SIP2 mediator');
    await new Promise<void>((resolve) => sip2.server.listen(sip2.port, sip2.host, resolve));
    await waitUntil(async () => (await readinessOf(gateway.url)) === 'ready', 'the gateway reaches Redis');
    gateways.push({ gateway, port });
  }
});
afterAll(async () => {
  for (const { gateway } of gateways) {
    gateway.app.sip2?.server.close();
    await gateway.close();
  }
  await ils.close();
  await redis.close();
});

const wrongPin = (seq: number): string => protect('2300120240101    120000AOUWOLS|AAmiker|AC|ADguess|', seq);

describe('the SIP2 mediator throttles through the shared state', () => {
  it(`wrong PINs for one card over two gateways: ${PIN_LIMIT} reach the ILS, the next is throttled on either`, async () => {
    const asked = (): number => ils.received.filter((m) => m.text.includes('AAmiker')).length;
    const before = asked();
    for (let i = 0; i < PIN_LIMIT; i++) {
      const talk = await converse(gateways[i % 2]!.port, [protect(LOGIN, 0), wrongPin(1)]);
      expect(talk.answers[1]).toMatch(/BLY\|CQN\|/);
    }
    expect(asked() - before).toBe(PIN_LIMIT);
    for (const { port } of gateways) {
      const throttled = await converse(port, [protect(LOGIN, 0), wrongPin(1)]);
      expect(throttled.answers).toHaveLength(1);
      expect(throttled.closed).toBe(true);
    }
    expect(asked() - before).toBe(PIN_LIMIT);
  });

  it('Redis down: a vendor login is not checked and the connection closes; back: it logs in again', async () => {
    const { gateway, port } = gateways[0]!;
    expect((await converse(port, [protect(LOGIN, 0)])).answers).toEqual([expect.stringMatching(/^941/)]);
    await redis.kill();
    await waitUntil(async () => (await readinessOf(gateway.url)) === 'degraded', 'the gateway sees Redis down');
    const refused = await converse(port, [protect(LOGIN, 0)]);
    expect(refused.answers).toEqual([]);
    expect(refused.closed).toBe(true);
    await redis.restart();
    await waitUntil(async () => (await readinessOf(gateway.url)) === 'ready', 'the gateway reconnects');
    expect((await converse(port, [protect(LOGIN, 0)])).answers).toEqual([expect.stringMatching(/^941/)]);
  });
});
