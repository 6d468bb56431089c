/**
 * The SIP2 benchmark's servers, one per process: `ils SERVICE_MS [WORKERS]` (the fake ILS of the
 * tests, seeded with the transcript patrons, answering each patron request after SERVICE_MS by a
 * timer, at most WORKERS at a time when given),
 * `relay ILS_PORT` (the floor: a bare TCP relay that pipes each vendor connection to a connection of
 * its own to the ILS, bytes unread, as a TCP load balancer would) or `mediator ILS_PORT POOL` (the
 * mediator in front of that ILS, with a contract that releases a pseudonym and the hoopla flags,
 * and POOL connections to the ILS). Prints `READY <port>`; answers an IPC message with its RSS and
 * its CPU time so far (process.cpuUsage, user + system).
 */
import { connect, createServer, type AddressInfo } from 'node:net';
import { startFakeIls } from '../helpers/fake-ils.ts';
import { sip2Contract, startMediator } from '../helpers/sip2-mediator-harness.ts';

const [mode, arg1, arg2] = process.argv.slice(2);
if (mode === 'ils') {
  const workers = Number(arg2 ?? 0);
  const ils = await startFakeIls({ serviceMs: Number(arg1 ?? 0), ...(workers > 0 ? { workers } : {}) });
  process.stdout.write(`READY ${ils.port}\n`);
} else if (mode === 'relay') {
  const server = createServer((vendor) => {
    const ils = connect(Number(arg1), '127.0.0.1');
    vendor.setNoDelay(true);
    ils.setNoDelay(true);
    vendor.pipe(ils).pipe(vendor);
    vendor.on('error', () => ils.destroy());
    ils.on('error', () => vendor.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
} else {
  const mediator = await startMediator({
    contracts: [sip2Contract('bench-sip', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied, renewalDenied, cardLost] } }', 'fields: { patronId: { action: pseudonymize } }')],
    ilsAddress: { host: '127.0.0.1', port: Number(arg1) },
    pool: Number(arg2 ?? 16),
    ilsTimeoutMs: 5000,
    pinFailures: 1_000_000,
  });
  process.stdout.write(`READY ${mediator.port}\n`);
}
process.on('message', (message: { id: number }) => {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  process.send?.({ id: message.id, rssMb: memory.rss / 1024 / 1024, heapMb: memory.heapUsed / 1024 / 1024, cpuMicros: cpu.user + cpu.system });
});
process.on('SIGINT', () => process.exit(0));
