import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIls, type FakeIls } from '../helpers/fake-ils.ts';
import { findFreePort } from '../helpers/free-port.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { readSample } from '../helpers/prometheus.ts';
import { converse, protect, readFields } from '../helpers/sip2-mediator-harness.ts';

// README, SIP2 mediator: with sip2Mediator in the settings, boot() resolves it and createApp()
// wires it (its own pool to the ILS of patrons.sip2, the vendors' logins, the same metrics).
const CONTRACT = `id: hoopla-sip
name: Hoopla over SIP2
kind: econtent
purpose: Checks library cards
contract: { reference: T-hoopla, effective: 2026-01-01, expires: 2027-12-31 }
identity: { delivery: sip2, sip2: { statusFlags: [recallDenied] } }
fields: { patronId: { action: pseudonymize } }
`;

let ils: FakeIls;
let gateway: Harness;
let port: number;
beforeAll(async () => {
  ils = await startFakeIls();
  port = await findFreePort();
  gateway = await startGateway({
    contracts: { 'hoopla-sip': CONTRACT },
    patrons: [{ record: { patronId: 'p-1', barcode: '1', birthDate: '1980-01-01' }, pin: '1' }],
    patronSettings: { file: 'patrons.yaml', sip2: { host: '127.0.0.1', port: ils.port, institution: 'UWOLS', user: { env: 'ILS_USER' }, password: { env: 'ILS_PASSWORD' }, dialect: { birthDate: 'PB' } } },
    settings: { sip2Mediator: { host: '127.0.0.1', port, vendors: { 'hoopla-sip': { user: { env: 'HOOPLA_USER' }, password: { env: 'HOOPLA_PASSWORD' } } } } } as never,
    env: { ILS_USER: 'scclient', ILS_PASSWORD: 'clientpwd', HOOPLA_USER: 'hoopla-login', HOOPLA_PASSWORD: 'hoopla-secret' },
  });
  const sip2 = gateway.app.sip2;
  if (!sip2) throw new Error('the gateway started no SIP2 mediator');
  await new Promise<void>((resolve) => sip2.server.listen(sip2.port, sip2.host, resolve));
});
afterAll(async () => {
  gateway.app.sip2?.server.close();
  await gateway.close();
  await ils.close();
});

describe('the SIP2 mediator wired into the gateway', () => {
  it('a vendor logs in with the credentials of the settings and gets its contract’s answer from the ILS of patrons.sip2', async () => {
    const talk = await converse(port, [protect('9300CNhoopla-login|COhoopla-secret|', 0), protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 1)]);
    expect(talk.answers[0]).toMatch(/^941/);
    const info = talk.answers[1] ?? '';
    expect(info.slice(2, 16)).toBe('  Y           ');
    expect(readFields(info, 61).map(([id]) => id)).toEqual(['AO', 'AA', 'AE', 'BL', 'CQ', 'XI']);
    expect(ils.count('63')).toBe(1);
  });

  it('its traffic is on /metrics with channel sip2, beside the proxy’s families', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(readSample(text, 'gateway_requests_total', { vendor: 'hoopla-sip', outcome: 'proxied', channel: 'sip2' })).toBe(1);
    expect(readSample(text, 'gateway_field_releases_total', { vendor: 'hoopla-sip', field: 'patronId', action: 'pseudonymized', channel: 'sip2' })).toBe(1);
    expect(readSample(text, 'gateway_minimization_score', { vendor: 'hoopla-sip', basis: 'contract', channel: 'sip2' })).toBeGreaterThan(0.9);
  });

  it('a wrong vendor password gets 940', async () => {
    const talk = await converse(port, [protect('9300CNhoopla-login|COhoopla-wrong|', 0)]);
    expect(talk.answers).toEqual([expect.stringMatching(/^940/)]);
  });
});
