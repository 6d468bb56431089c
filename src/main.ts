/**
 * The composition root: the only place that reads the environment, touches the disk for
 * settings, keys, contracts and patrons, and listens on a port.
 *
 *   PORT                   listening port (default 8080); HOST, the address (default all)
 *   GATEWAY_CONFIG         settings file (default config/gateway.yaml)
 *   GATEWAY_VENDORS_DIR    overrides the settings' vendorsDir
 *   GATEWAY_PATRONS_FILE   overrides the settings' patrons.file
 *   NODE_ENV=production    refuses demo mode, demo keys and the demo vendor
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describeContractStatus } from './contracts/contract-status.ts';
import { loadContracts } from './contracts/load-contracts.ts';
import { createDemoVendorServer } from './demo/demo-vendor.ts';
import { createApp } from './app.ts';
import { importAssertionKeys } from './settings/assertion-keys.ts';
import { createLogger } from './log/create-logger.ts';
import { loadPatronFile, PatronFileError } from './patrons/file-patron-source.ts';
import { loadSettings } from './settings/load-settings.ts';
import { resolveKeys } from './settings/resolve-keys.ts';
import { formatProblem, type Problem } from './lib/problem.ts';

const env = process.env;
const production = env['NODE_ENV'] === 'production';
const logger = createLogger({ level: env['LOG_LEVEL'] ?? 'info' });

function refuse(problems: ReadonlyArray<Problem>): never {
  for (const problem of problems) process.stderr.write(`error: ${formatProblem(problem)}\n`);
  process.stderr.write(`The gateway did not start: ${problems.length} problem(s). Run "npm run check" after fixing them.\n`);
  process.exit(1);
}

const loadedSettings = await loadSettings(env['GATEWAY_CONFIG'] ?? 'config/gateway.yaml', {
  vendorsDir: env['GATEWAY_VENDORS_DIR'],
  patronsFile: env['GATEWAY_PATRONS_FILE'],
  production,
});
const settings = loadedSettings.settings ?? refuse(loadedSettings.problems);
const resolved = await resolveKeys(settings, { env });
const keys = resolved.keys ?? refuse(resolved.problems);
const loadedContracts = await loadContracts(settings.vendorsDir, { signingKeyConfigured: settings.signingKeyConfigured });
if (loadedContracts.problems.length > 0) refuse(loadedContracts.problems);
const contracts = loadedContracts.contracts;
let patronsLoaded;
try {
  patronsLoaded = await loadPatronFile(settings.patrons.file);
} catch (error) {
  if (error instanceof PatronFileError) refuse(error.problems);
  throw error;
}
if (patronsLoaded.skipped.length > 0) logger.warn('patron records skipped', { skipped: patronsLoaded.skipped.length });
const now = new Date();
for (const contract of contracts.values()) {
  const status = describeContractStatus(contract, now);
  if (status.state !== 'active') logger.warn(`contract ${status.state}`, { vendor: contract.id, count: status.days });
}
if (keys.usingDevKeys) {
  process.stderr.write(
    '\n  ************************************************************************\n' +
      '  *  DEMO MODE: using development keys from config/.dev-keys.json.       *\n' +
      '  *  They are NOT secret. Never use this configuration for real patrons. *\n' +
      '  ************************************************************************\n\n',
  );
}

const registry = new Registry();
collectDefaultMetrics({ register: registry });
const version = (JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const app = createApp({
  settings,
  contracts,
  patrons: patronsLoaded.source,
  keys,
  assertionKeys: await importAssertionKeys(keys.assertionKeys),
  registry,
  clock: () => new Date(),
  logger,
  version,
});

const servers: Server[] = [];
if (settings.demo && !production) {
  for (const contract of contracts.values()) {
    const upstream = contract.upstream ? new URL(contract.upstream.url) : undefined;
    if (!upstream || upstream.hostname !== '127.0.0.1' || contract.kind === 'grant') continue;
    const demo = createDemoVendorServer({ name: contract.name });
    demo.listen(Number(upstream.port), '127.0.0.1');
    demo.on('error', () => logger.warn('demo vendor could not listen', { vendor: contract.id, port: Number(upstream.port) }));
    servers.push(demo);
  }
}

const server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 120_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, app.handler);
const port = Number(env['PORT'] ?? 8080);
server.on('error', (error: NodeJS.ErrnoException) => {
  process.stderr.write(`The gateway could not listen on port ${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use (set PORT to another)' : error.code}\n`);
  process.exit(1);
});
server.listen(port, env['HOST'], () => {
  const actual = (server.address() as { port: number }).port;
  logger.info('gateway listening', { port: actual, vendors: contracts.size, patrons: patronsLoaded.count });
  process.stdout.write(`Patron privacy gateway listening on port ${actual}. Sign in at ${new URL('/login', settings.publicUrl).href}\n`);
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  logger.info('shutting down: finishing requests in flight');
  // Stop accepting; requests in flight finish; idle keep-alive connections close now.
  server.close(() => {
    app.close();
    for (const demo of servers) demo.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  // Connections that finish their last request become idle: close them as they do.
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, 10_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
