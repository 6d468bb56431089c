import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.ts';
import { enterVendor, PROXY_HOST, proxiedHost } from '../helpers/browse.ts';
import { waitUntil } from '../helpers/wait-until.ts';

/** A patron who goes away in the middle of a download through browse mode frees the vendor's connection too: nothing keeps reading for nobody. */
const PATRON = { patronId: 'p-away-1', barcode: '27800000000001', birthDate: '1980-01-01' };
let upstream: RecordingUpstream;
let gateway: Harness;

beforeAll(async () => {
  upstream = await startRecordingUpstream();
  gateway = await startGateway({
    patrons: [{ record: PATRON, pin: '5555' }],
    contracts: {
      files: `id: files
name: Files
kind: database
purpose: Testing browse mode
contract: { reference: T-files, effective: 2026-01-01, expires: 2027-12-31 }
upstream:
  url: http://files.example:${upstream.port}/
  hosts: [files.example]
  pin: { files.example: 127.0.0.1 }
browse: {}
identity: { delivery: none }
preset: anonymous
minors: { under13: anonymous }
`,
    },
    browse: { proxyHost: PROXY_HOST },
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

it('the vendor sees its response closed when the patron cuts the download', async () => {
  let vendorClosed = false;
  upstream.respond((_req, res) => {
    res.setHeader('Content-Type', 'application/octet-stream');
    const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 5);
    res.on('close', () => {
      clearInterval(timer);
      vendorClosed = true;
    });
  });
  const host = proxiedHost(`files.example:${upstream.port}`, gateway.url);
  const entered = await enterVendor(gateway.url, await gateway.login(PATRON.barcode, '5555'), 'files');
  const target = new URL(gateway.url);
  await new Promise<void>((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: '/big.bin', headers: { host, cookie: entered.cookies.get(host) } }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', () => undefined);
    setTimeout(() => reject(new Error('no data')), 5000);
    req.end();
  });
  await waitUntil(() => vendorClosed, 'the vendor response closed', 5000);
  expect(vendorClosed).toBe(true);
});
