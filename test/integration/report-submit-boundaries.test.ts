import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

// README, Grant reports: --submit sends the report only to the grant contract's upstream, never
// following redirects, within its timeoutMs.
let dir: string;
const servers: Server[] = [];
const hits: Record<string, number> = { elsewhere: 0 };

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function grantVendors(name: string, url: string, timeoutMs: number): Promise<string> {
  const vendors = join(dir, name);
  await import('node:fs/promises').then((fs) => fs.mkdir(vendors, { recursive: true }));
  const demo = await readFile('vendors/state-grant-demo.yaml', 'utf8');
  await writeFile(join(vendors, 'state-grant-demo.yaml'), demo.replace(/url: http:\/\/127\.0\.0\.1:\d+\/reports/, `url: ${url}/reports`).replace('timeoutMs: 30000', `timeoutMs: ${timeoutMs}`));
  return vendors;
}

function participation(): string {
  return ['patronId,birthDate,postalCode,date', ...Array.from({ length: 12 }, (_, i) => `kid-${i},2017-03-15,06880,2026-07-${10 + i}`)].join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-submit-'));
  await writeFile(join(dir, 'p.csv'), participation());
});
afterAll(async () => {
  for (const server of servers) server.closeAllConnections(), server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('gateway report --submit', () => {
  it('never follows a redirect: the report goes to the contract\'s endpoint only, and the run fails', async () => {
    const elsewhere = await listen((req, res) => {
      hits['elsewhere'] = (hits['elsewhere'] ?? 0) + 1;
      req.resume();
      res.end();
    });
    const grantor = await listen((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(307, { Location: `${elsewhere}/collect` });
        res.end();
      });
    });
    const result = await runGateway(['report', '--grant', 'state-grant-demo', '--config', TEST_SETTINGS, '--vendors', await grantVendors('redirecting', grantor, 5000), '--input', join(dir, 'p.csv'), '--submit'], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the grantor's endpoint answered 307; the report was not accepted/);
    expect(result.stderr).not.toMatch(/127\.0\.0\.1|collect/);
    expect(hits['elsewhere']).toBe(0);
  });

  it('gives up after the contract\'s timeoutMs, saying so', async () => {
    const hanging = await listen((req) => void req.resume());
    const result = await runGateway(['report', '--grant', 'state-grant-demo', '--config', TEST_SETTINGS, '--vendors', await grantVendors('hanging', hanging, 300), '--input', join(dir, 'p.csv'), '--submit'], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the grantor's endpoint could not be reached \(timeout\)/);
  });
});
