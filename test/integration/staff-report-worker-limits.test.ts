import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoContracts, loadDemoPatrons } from '../helpers/demo-fixtures.ts';
import { startGateway, type Harness } from '../helpers/gateway-harness.ts';
import { uploadReport } from '../helpers/staff-report-upload.ts';

// README, Settings (reports.timeoutSeconds, reports.maxMemoryMb): a report worker over its time or
// memory limit is stopped with a clear page, nothing is published, and its slot is free again (one
// slot here, so the next report running at all shows it).
const GRANT = readFileSync('vendors/state-grant-demo.yaml', 'utf8');

function smallFile(): string {
  const lines = ['patronId,birthDate,postalCode,date'];
  for (let i = 0; i < 15; i++) lines.push(`kid-${i},2017-0${1 + (i % 9)}-15,06880,2026-07-${10 + i}`);
  return lines.join('\n');
}

/** The codes of the "report stopped" log lines (the log carries a code, nothing from the file). */
function stopsLogged(gateway: Harness): string[] {
  return gateway.logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { msg?: string; code?: string })
    .filter((entry) => entry.msg === 'report stopped')
    .map((entry) => entry.code ?? '');
}

/**
 * Starts an upload over a raw connection and never finishes it (the worker waits for the rest of
 * the file): resolves with the gateway's answer, which can only come from the time limit.
 */
async function stalledUpload(gateway: Harness, cookie: string): Promise<{ status: number; connection: string | undefined; body: string }> {
  const page = await (await fetch(`${gateway.url}/staff/reports`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  const boundary = 'stalled-upload-boundary';
  const field = (name: string, value: string): string => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = `${field('csrf', csrf)}${field('grant', 'state-grant-demo')}${field('format', 'preview')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const req = request(`${gateway.url}/staff/reports`, { method: 'POST', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    // The header row and a few rows of CANARY ids, then nothing more.
    req.write(`${head}patronId,birthDate,postalCode,date\nCANARY-1,2017-01-15,06880,2026-07-10\nCANARY-2,2017-01-15,06880,2026-07-11\n`);
  });
}

describe('a report worker over its limits is stopped and frees its slot', () => {
  let gateway: Harness;
  let staff: string;
  afterAll(async () => gateway?.close());

  describe('the time limit (reports.timeoutSeconds: 1)', () => {
    beforeAll(async () => {
      gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'state-grant-demo': GRANT }, settings: { reports: { maxConcurrent: 1, timeoutSeconds: 1 } } });
      staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    });

    it('a report whose file never ends is stopped with a clear page (503) without waiting for the rest of the upload', async () => {
      const stopped = await stalledUpload(gateway, staff);
      expect(stopped.status).toBe(503);
      expect(stopped.connection).toBe('close');
      expect(stopped.body).toMatch(/The report was stopped: it took longer than the time limit for reports \(reports\.timeoutSeconds\)\. Nothing was published\./);
      expect(stopped.body).not.toMatch(/CANARY|06880/);
      expect(stopsLogged(gateway)).toEqual(['time']);
      expect(gateway.logs.join('')).not.toMatch(/CANARY|06880/);
      // The one slot is free again: the next report is admitted (not "another report is running")
      // and, stalled as well, is stopped by its own time limit.
      const again = await stalledUpload(gateway, staff);
      expect(again.status).toBe(503);
      expect(again.body).toMatch(/took longer than the time limit/);
      expect(again.body).not.toMatch(/Another report is running/);
    });
  });

  describe('the memory limit (reports.maxMemoryMb: 64: heap, the tally\'s buffers and the solver\'s WebAssembly memory together)', () => {
    beforeAll(async () => {
      await gateway?.close();
      gateway = await startGateway({ patrons: loadDemoPatrons(), contracts: { ...loadDemoContracts('http://127.0.0.1:9'), 'state-grant-demo': GRANT }, settings: { reports: { maxConcurrent: 1, maxMemoryMb: 64 } } });
      staff = await gateway.login('29000000000007', '7777', { acceptNotices: false });
    });

    it('a report that needs more memory (1,000,000 people: its tally outgrows the limit off the heap too) is stopped with a clear page; the next, small one runs in the freed slot', async () => {
      const lines = ['patronId,birthDate,postalCode,date'];
      for (let i = 0; i < 1_000_000; i++) lines.push(`CANARY-${i},2015-01-01,06880,2026-07-${10 + (i % 9)}`);
      const response = await uploadReport(gateway, staff, { grant: 'state-grant-demo', format: 'csv', period: '2026-Q3' }, lines.join('\n'));
      expect(response.status).toBe(503);
      const page = await response.text();
      expect(page).toMatch(/The report was stopped: it needed more memory than reports are allowed \(reports\.maxMemoryMb\)\. Nothing was published\./);
      expect(page).not.toMatch(/CANARY|06880/);
      expect(stopsLogged(gateway)).toEqual(['memory']);
      const next = await uploadReport(gateway, staff, { grant: 'state-grant-demo', format: 'preview' }, smallFile());
      expect(next.status).toBe(200);
      const nextPage = await next.text();
      expect(nextPage).toContain('data-phase="done"');
      expect(nextPage).not.toContain('reports.maxMemoryMb');
    }, 120_000);
  });
});
