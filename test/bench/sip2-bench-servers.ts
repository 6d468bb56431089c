/**
 * The SIP2 benchmark's servers, one per process: `ils` (the fake ILS of the tests, seeded with the
 * transcript patrons) or `mediator ILS_PORT POOL` (the mediator in front of that ILS, with a
 * contract that releases a pseudonym and the hoopla flags). Prints `READY <port>`.
 */
import { startFakeIls } from '../helpers/fake-ils.ts';
import { sip2Contract, startMediator } from '../helpers/sip2-mediator-harness.ts';

const [mode, ilsPort, pool] = process.argv.slice(2);
if (mode === 'ils') {
  const ils = await startFakeIls();
  process.stdout.write(`READY ${ils.port}\n`);
} else {
  const mediator = await startMediator({
    contracts: [sip2Contract('bench-sip', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied, renewalDenied, cardLost] } }', 'fields: { patronId: { action: pseudonymize } }')],
    ilsAddress: { host: '127.0.0.1', port: Number(ilsPort) },
    pool: Number(pool ?? 16),
    ilsTimeoutMs: 5000,
    pinFailures: 1_000_000,
  });
  process.stdout.write(`READY ${mediator.port}\n`);
}
process.on('message', () => process.send?.({ rssMb: process.memoryUsage().rss / 1024 / 1024 }));
process.on('SIGINT', () => process.exit(0));
