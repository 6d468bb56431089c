import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, exportJWK, importPKCS8 } from 'jose';
import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_NOW, ROOT, runGateway, spawnGateway, TEST_ENV, TEST_SETTINGS } from '../helpers/cli.ts';

let dir: string;
const base = ['report', '--grant', 'state-grant-demo', '--config', TEST_SETTINGS];

/**
 * A participation file with extra columns: 12 children (6-11) at ZIP 06880 in Q3 and 14 in Q4,
 * 12 teens (12-17) at 06883 in Q3 and 3 in Q4 (a cell too small to publish).
 */
function participation(extra: string[] = []): string {
  const lines = ['patronId,barcode,firstName,birthDate,postalCode,branch,program,date,notes'];
  const add = (id: string, birth: string, zip: string, date: string, n: number): void => void lines.push(`${id},2900000${String(1000000 + n)},Name${n},${birth},${zip},main,summer-reading,${date},likes dinosaurs`);
  for (let i = 0; i < 12; i++) add(`kid-${i}`, `2017-0${1 + (i % 9)}-15`, '06880', `2026-07-${10 + i}`, i);
  for (let i = 0; i < 14; i++) add(`kid-${i}`, `2017-0${1 + (i % 9)}-15`, '06880', `2026-10-${10 + i}`, 100 + i);
  for (let i = 0; i < 12; i++) add(`teen-${i}`, `2012-0${1 + (i % 9)}-01`, '06883', `2026-08-${10 + i}`, 200 + i);
  for (let i = 0; i < 3; i++) add(`teen-${i}`, `2012-0${1 + (i % 9)}-01`, '06883', `2026-11-${10 + i}`, 300 + i);
  return [...lines, ...extra].join('\n');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gw-report-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function input(name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

describe('gateway report', () => {
  it('prints the CSV table to stdout and the minimization summary to stderr (the real executable)', async () => {
    const result = await spawnGateway([...base, '--input', await input('p.csv', participation())], TEST_ENV);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,age_group,zip3,quarter,participants,attendances');
    // The small cell (3 teens in Q4) is hidden.
    expect(lines).toContain('cell,12-17,068,2026-Q4,x,x');
    // No published count is between 1 and 10; every suppressed figure is the one marker, explained.
    const table = lines.slice(1, -2);
    expect(lines.at(-2)).toBe('');
    // Which other figures hide it is the solver's choice; every pattern passes the same audit.
    expect(table.filter((l) => l.includes(',x')).length).toBeGreaterThan(1);
    for (const line of table) for (const value of line.split(',').slice(4)) expect(value === 'x' || Number(value) === 0 || Number(value) >= 11).toBe(true);
    expect(lines.at(-1)).toMatch(/^x: figure not published to protect small groups \(\d+ of \d+ figures\)$/);
    expect(result.stderr).toMatch(/Rows read: 41; used: 41/);
    expect(result.stderr).toMatch(/Columns dropped as read: 5 \(including barcode, firstName, branch, program, notes\)/);
    expect(result.stderr).toMatch(/figures: \d+, of which suppressed \(shown as x\): \d+/);
    expect(result.stdout + result.stderr).not.toMatch(/primary|complementary|<11/);
    for (const secret of ['kid-', 'teen-', 'Name1', '2017-0', '2012-0', '06880', '06883', 'dinosaurs', '2900000']) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it.each([
    ['json', (text: string) => expect(JSON.parse(text)).toMatchObject({ grant: { id: 'state-grant-demo' }, minCellSize: 11, summary: { rowsUsed: 41 } })],
    ['html', (text: string) => expect(text).toMatch(/<h1>Demo State Summer Learning Grant: participation report<\/h1>[\s\S]*<svg role="img"[\s\S]*How this report was minimized/)],
  ] as const)('writes %s with --out, atomically', async (format, check) => {
    const out = join(dir, `report.${format}`);
    const result = await runGateway([...base, '--input', await input('p2.csv', participation()), '--format', format, '--out', out], TEST_ENV);
    expect(result.code).toBe(0);
    const text = await readFile(out, 'utf8');
    check(text);
    expect(text).not.toMatch(/kid-|Name1|06880/);
  });

  it('keeps only --period', async () => {
    const result = await runGateway([...base, '--input', await input('p3.csv', participation()), '--period', '2026-08'], TEST_ENV);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Rows read: 41; used: 12; outside the period: 29/);
  });

  it.each([
    ['an empty file', '', /the file is empty/],
    ['a header only', 'patronId,birthDate,postalCode,date\n', /Rows read: 0/],
    ['missing required columns', 'patronId,birthDate,date\np1,2015-01-01,2026-07-01\n', /line 1: missing required column\(s\): postalCode. The header row has 3 column\(s\); recognized: patronId, birthDate, date/],
    ['no header row (data first), without echoing it', 'p-CANARY,2015-01-01,06880,2026-07-01\n', /line 1: missing required column\(s\): patronId \(or barcode\), birthDate, postalCode, date. The header row has 4 column\(s\), none of them recognized \(is the first row a header\?\)/],
    ['a Latin-1 file', Buffer.concat([Buffer.from('patronId,firstName,birthDate,postalCode,date\np1,Jos'), Buffer.from([0xe9]), Buffer.from(',2015-01-01,06880,2026-07-01\n')]), /line 2: the file is not UTF-8 text/],
    ['broken quoting', 'patronId,birthDate,postalCode,date\np1,"2015-01-01,06880,2026-07-01\n', /not valid CSV/],
  ])('refuses %s with a clear message, no echoed values, and writes nothing', async (_name, content, message) => {
    const out = join(dir, `never-${Math.random().toString(36).slice(2)}.csv`);
    const result = await runGateway([...base, '--input', await input('bad.csv', content), '--out', out], TEST_ENV);
    expect(`${result.stderr}`).toMatch(message);
    expect(result.stderr).not.toContain('CANARY');
    if (result.code !== 0) {
      expect(result.code).toBe(1);
      await expect(readFile(out)).rejects.toThrow();
    }
    expect((await readdir(dir)).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('reports rejected rows by reason with their line numbers, never their values', async () => {
    const extra = [
      'x1,,,2015-02-30,06880,main,p,2026-07-01,', // impossible birth date: line 43
      'x2,,,2015-01-01,SW1A,main,p,2026-07-01,', // not a ZIP: line 44
      'x3,,,2015-01-01,06880,main,p,someday,', // unparseable date: line 45
      ',,,2015-01-01,06880,main,p,2026-07-01,', // no id: line 46
      '',
      'kid-0,29000001000000,Name0,2017-01-15,06880,main,summer-reading,2026-07-10,likes dinosaurs', // duplicate of line 2: line 48
      'x4,too,few', // line 49
    ];
    const result = await runGateway([...base, '--input', await input('rej.csv', `\uFEFF${participation(extra)}`)], TEST_ENV);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Rows rejected \(birthDate: unparseable birth date\): 1, at line\(s\) 43/);
    expect(result.stderr).toMatch(/Rows rejected \(postalCode: not a US ZIP code\): 1, at line\(s\) 44/);
    expect(result.stderr).toMatch(/Rows rejected \(unparseable date\): 1, at line\(s\) 45/);
    expect(result.stderr).toMatch(/Rows rejected \(no patronId or barcode\): 1, at line\(s\) 46/);
    expect(result.stderr).toMatch(/Rows rejected \(duplicate row\): 1, at line\(s\) 48/);
    expect(result.stderr).toMatch(/Rows rejected \(wrong number of columns\): 1, at line\(s\) 49/);
    expect(result.stderr).toMatch(/blank lines skipped: 1/);
    expect(result.stderr).not.toMatch(/SW1A|someday|2015-02-30|x1|x2/);
  });

  it.each([
    ['an unknown grant', ['report', '--grant', 'nope', '--config', TEST_SETTINGS, '--input', 'x.csv'], /there is no grant programme "nope"; grant programmes: state-grant-demo/],
    ['a vendor that is not a grant', ['report', '--grant', 'ebooks-demo', '--config', TEST_SETTINGS, '--input', 'x.csv'], /there is no grant programme "ebooks-demo"/],
    ['a bad format', [...base, '--input', 'x.csv', '--format', 'xlsx'], /--format must be csv, json or html/],
    ['a bad period', [...base, '--input', join(ROOT, 'package.json'), '--period', 'summer'], /--period must be a year/],
  ])('exits 2 for %s', async (_name, args, message) => {
    const result = await runGateway(args, TEST_ENV);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  // 32 MB of heap: Node 24's own type stripping takes part of it before the first row is read.
  it('streams a file larger than the heap it is allowed (the real executable, 32 MB heap, ~45 MB file)', async () => {
    const { createWriteStream } = await import('node:fs');
    const file = join(dir, 'large.csv');
    const out = createWriteStream(file);
    out.write('patronId,birthDate,postalCode,date,notes\n');
    const filler = 'x'.repeat(40);
    for (let i = 0; i < 600_000; i++) {
      if (!out.write(`p-${i % 3000},20${String(10 + (i % 8)).padStart(2, '0')}-0${1 + (i % 9)}-15,068${String(i % 20).padStart(2, '0')},2026-0${1 + (i % 9)}-1${i % 10},${filler}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const { statSync } = await import('node:fs');
    expect(statSync(file).size).toBeGreaterThan(40 * 1024 * 1024);
    const { execFile } = await import('node:child_process');
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--max-old-space-size=32', `${ROOT}/src/cli/gateway.ts`, ...base, '--input', file, '--out', join(dir, 'large-report.csv')], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...TEST_ENV } }, (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }));
    });
    expect(result.stderr).toMatch(/Rows read: 600000; used: \d+/);
    expect(result.code).toBe(0);
  }, 120_000);

  it('exits 1 when the input file cannot be read', async () => {
    const result = await runGateway([...base, '--input', join(dir, 'missing.csv')], TEST_ENV);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot be read \(ENOENT\)/);
  });
});

describe('gateway report --submit', () => {
  let grantor: Server;
  const received: Array<{ headers: Record<string, unknown>; body: string; url: string }> = [];
  let vendors: string;
  beforeAll(async () => {
    grantor = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body, url: req.url ?? '' });
        res.statusCode = (req.url ?? '').includes('fail-me') ? 422 : 201;
        res.end();
      });
    });
    await new Promise<void>((resolve) => grantor.listen(0, '127.0.0.1', resolve));
    vendors = join(dir, 'vendors');
    await import('node:fs/promises').then((fs) => fs.mkdir(vendors, { recursive: true }));
    const demo = await readFile('vendors/state-grant-demo.yaml', 'utf8');
    await writeFile(join(vendors, 'state-grant-demo.yaml'), demo.replace(/url: http:\/\/127\.0\.0\.1:\d+\/reports/, `url: http://127.0.0.1:${(grantor.address() as AddressInfo).port}/reports`).replace('identity:\n  delivery: none', 'identity:\n  delivery: jwt'));
  });
  afterAll(() => grantor.close());

  it('sends the finished report to the endpoint in the contract, with a verifiable assertion from the gateway', async () => {
    const result = await runGateway([...base, '--vendors', vendors, '--input', await input('s.csv', participation()), '--format', 'json', '--out', join(dir, 'sub.json'), '--submit'], TEST_ENV);
    expect(result.stderr).toMatch(/report submitted to Demo State Summer Learning Grant \(201\)/);
    expect(result.code).toBe(0);
    const request = received.at(-1);
    expect(request?.url).toBe('/reports');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ grant: { id: 'state-grant-demo' } });
    const token = String(request?.headers['authorization'] ?? '').slice(7);
    const publicJwk = await exportJWK(createPublicKey(TEST_ENV['TEST_ASSERTION_KEY'] ?? ''));
    await importPKCS8(TEST_ENV['TEST_ASSERTION_KEY'] ?? '', 'ES256');
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [{ ...publicJwk, kid: 'test-1', alg: 'ES256' }] }), { audience: 'state-grant-demo', issuer: 'https://gateway.library.test', currentDate: CLI_NOW });
    expect(payload.sub).toBeUndefined();
  });

  it('says so when the grantor refuses the report, and when it cannot be reached', async () => {
    // The grantor refuses (422) whatever arrives under a "fail-me" program name.
    const refusing = (await readFile(join(vendors, 'state-grant-demo.yaml'), 'utf8')).replace('/reports', '/reports?fail-me');
    const refusingDir = join(dir, 'refusing');
    await import('node:fs/promises').then((fs) => fs.mkdir(refusingDir, { recursive: true }));
    await writeFile(join(refusingDir, 'state-grant-demo.yaml'), refusing);
    const refused = await runGateway([...base, '--vendors', refusingDir, '--input', await input('f.csv', participation()), '--submit'], TEST_ENV);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the grantor's endpoint answered 422; the report was not accepted/);
    grantor.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const unreachable = await runGateway([...base, '--vendors', vendors, '--input', await input('u.csv', participation()), '--submit'], TEST_ENV);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/the grantor's endpoint could not be reached \(ECONNREFUSED\)/);
    expect(unreachable.stderr).not.toMatch(/127\.0\.0\.1/);
  });
});
