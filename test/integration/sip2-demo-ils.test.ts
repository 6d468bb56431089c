import { afterEach, describe, expect, it } from 'vitest';
import type { AddressInfo, Server } from 'node:net';
import { stringify } from 'yaml';
import { createDemoIlsServer } from '../../src/demo/demo-ils.ts';
import { parsePatronFile } from '../../src/patrons/file-patron-source.ts';
import { hashPin } from '../../src/patrons/pin-hash.ts';
import { createSip2PatronSource, type Sip2PatronSource } from '../../src/patrons/sip2-patron-source.ts';
import { createSip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';

const FROZEN = Date.UTC(2026, 10, 29, 12, 0, 0);
const RECORD = {
  patronId: 'p-demo-9',
  barcode: '29000000000009',
  firstName: 'Dora',
  lastName: 'Demo',
  email: 'dora@example.org',
  phone: '(203) 555-0109',
  address: { street: '9 Sample Lane', city: 'Westport', state: 'CT', postalCode: '06880' },
  birthDate: '1990-01-31',
  patronType: 'adult',
  homeBranch: 'main',
};

let ils: Server | undefined;
let source: Sip2PatronSource | undefined;
afterEach(async () => {
  source?.close();
  source = undefined;
  await new Promise<void>((resolve) => (ils ? ils.close(() => resolve()) : resolve()));
  ils = undefined;
});

async function start(errorDetection: boolean): Promise<Sip2PatronSource> {
  const file = parsePatronFile('demo.yaml', stringify([{ ...RECORD, pinHash: await hashPin('4321', { N: 1024, r: 8, p: 1 }) }]));
  ils = createDemoIlsServer({ patrons: file.source, institution: 'demo', now: () => FROZEN });
  await new Promise<void>((resolve) => ils?.listen(0, '127.0.0.1', resolve));
  const port = (ils.address() as AddressInfo).port;
  source = createSip2PatronSource({
    pool: createSip2Pool({ size: 1, open: (signal) => openSip2Connection({ host: '127.0.0.1', port, login: { user: 'any', password: 'any' }, errorDetection }, signal) }),
    institution: 'demo',
    dialect: { nameFormat: 'first last', patronId: 'XI', birthDate: 'PB', patronType: 'PC', homeBranch: 'AQ' },
    timeoutMs: 2000,
    now: () => FROZEN,
    cache: { max: 10, ttlMs: 60_000 },
  });
  return source;
}

describe('the embedded demo ILS (npm start in demo mode)', () => {
  it.each([true, false])('signs a demo patron in over SIP2 (error detection %s) and the dialect gives back the record of the patron file', async (errorDetection) => {
    const patrons = await start(errorDetection);
    expect(await patrons.authenticate(RECORD.barcode, '4321')).toEqual({
      patronId: RECORD.patronId,
      barcode: RECORD.barcode,
      firstName: 'Dora',
      lastName: 'Demo',
      email: RECORD.email,
      phone: RECORD.phone,
      address: { street: '9 Sample Lane, Westport, CT 06880' },
      birthDate: RECORD.birthDate,
      patronType: 'adult',
      homeBranch: 'main',
    });
  });

  it.each([
    ['a wrong PIN', RECORD.barcode, '0000'],
    ['an unknown card', '29000000000000', '4321'],
  ])('refuses %s like a real ILS (BLY CQN, BLN)', async (_name, barcode, pin) => {
    const patrons = await start(true);
    expect(await patrons.authenticate(barcode, pin)).toBeUndefined();
  });
});
