import { startOidcGateway } from '../helpers/oidc-gateway.ts';

/**
 * The OpenID Connect benchmark's gateway, in a process of its own (so its CPU time is its own):
 * the test harness's gateway with the courses-oidc contract, logs discarded. Prints `READY <url>`;
 * answers an IPC message with its CPU time so far.
 */
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
const gateway = await startOidcGateway({ discardLogs: true, settings: { limits: { patronCacheSize: 10_000 } } });
process.stdout.write(`READY ${gateway.url}\n`);
process.on('message', () => {
  const usage = process.cpuUsage();
  process.send?.({ cpuMicros: usage.user + usage.system });
});
