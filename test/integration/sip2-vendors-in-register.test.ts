import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testContract, type Harness } from '../helpers/gateway-harness.ts';

// README, SIP2 mediator: SIP2 vendors are listed by the public register and on "what services see
// about me" like every other vendor, from the same contract; they are never served under /v/.
const SIP2_CONTRACT = `id: hoopla-sip
name: Hoopla over SIP2
kind: econtent
purpose: Checks library cards for streaming
contract: { reference: T-hoopla, effective: 2026-01-01, expires: 2027-12-31 }
identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied, cardLost] } }
fields: { patronId: { action: pseudonymize }, patronType: { action: pass } }
`;

let gateway: Harness;
beforeAll(async () => {
  gateway = await startGateway({
    contracts: { 'hoopla-sip': SIP2_CONTRACT, 'books-http': testContract('books-http', 'http://127.0.0.1:9', 'identity: { delivery: jwt }\nfields: { patronId: { action: pseudonymize, as: sub } }') },
    patrons: [{ record: { patronId: 'p-100', barcode: '21000100', firstName: 'Ada', birthDate: '1980-01-01', patronType: 'adult' }, pin: '1234' }],
  });
});
afterAll(async () => gateway.close());

describe('SIP2 vendors in the register and on the patron’s sharing page', () => {
  it('the register lists the SIP2 vendor with its delivery and what it receives', async () => {
    const { vendors } = (await (await fetch(`${gateway.url}/privacy/vendors.json`)).json()) as { vendors: Array<{ id: string; delivery: string; receives: Array<{ field: string }> }> };
    const entry = vendors.find((v) => v.id === 'hoopla-sip');
    expect(entry?.delivery).toBe('sip2');
    expect(entry?.receives.map((r) => r.field)).toEqual(['patronId', 'patronType']);
    const html = await (await fetch(`${gateway.url}/privacy/vendors`)).text();
    expect(html).toContain('Hoopla over SIP2');
    expect(html).toContain('its server asks the library, and gets only what is listed here');
  });

  it('"what services see about me" shows the SIP2 vendor’s view of the signed-in patron', async () => {
    const cookie = await gateway.login('21000100', '1234', { acceptNotices: false });
    const html = await (await fetch(`${gateway.url}/me/sharing`, { headers: { cookie } })).text();
    expect(html).toMatch(/data-vendor="hoopla-sip"/);
  });

  it('the proxy never serves a SIP2 vendor under /v/', async () => {
    const cookie = await gateway.login('21000100', '1234');
    const response = await fetch(`${gateway.url}/v/hoopla-sip/anything`, { headers: { cookie }, redirect: 'manual' });
    expect(response.status).toBe(404);
  });
});
