/**
 * The servers the proxy benchmark starts, one per process so each gets a core to itself and its
 * own peak RSS: `upstream`, `bare` (node:http + http-proxy-middleware + keep-alive agent),
 * `express` (express + helmet + the same proxy), and `gateway` (the real gateway). Each prints
 * `READY <port>` when listening.
 */
import { createServer, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { shiftContractDates } from '../helpers/contracts.ts';
import { startGateway, testContract } from '../helpers/gateway-harness.ts';

const [mode, upstreamUrl] = process.argv.slice(2);
// Exit cleanly on a signal, so --cpu-prof can write its profile.
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
const SMALL = Buffer.from(JSON.stringify({ id: 1, title: 'A small JSON answer', available: true }));
const MEGABYTE = Buffer.alloc(1024 * 1024, 0x61);

function ready(port: number): void {
  process.stdout.write(`READY ${port}\n`);
}

// The parent asks for this process's CPU time (user + system, microseconds) before and after each run.
process.on('message', () => {
  const usage = process.cpuUsage();
  process.send?.({ cpuMicros: usage.user + usage.system });
});

if (mode === 'upstream') {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/download')) {
      res.writeHead(200, { 'content-type': 'application/epub+zip', 'content-length': String(MEGABYTE.length) });
      res.end(MEGABYTE);
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(SMALL.length) });
      res.end(SMALL);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
} else if (mode === 'bare' || mode === 'express') {
  const proxy = createProxyMiddleware({ target: upstreamUrl, changeOrigin: true, agent: new Agent({ keepAlive: true, maxSockets: 256 }) });
  let server;
  if (mode === 'bare') {
    server = createServer((req, res) => {
      req.url = req.url?.replace(/^\/v\/bench/, '') ?? '/';
      void proxy(req, res);
    });
  } else {
    const app = express();
    app.use(helmet());
    app.use('/v/bench', proxy);
    server = createServer(app);
  }
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
} else if (mode === 'gateway') {
  const gateway = await startGateway({
    patrons: [{ record: { patronId: 'bench-1', barcode: '20000000000001', birthDate: '1985-06-15', email: 'bench@example.org', firstName: 'Benchley', lastName: 'Loadson', phone: '203-555-0199' }, pin: '1111' }],
    contracts: {
      // On the wall clock: the contract's dates are moved around today.
      bench: shiftContractDates(testContract('bench', upstreamUrl ?? '', 'identity: { delivery: jwt }\npreset: pseudonymous\nfields: { birthDate: { action: generalize, to: ageBand } }\nrequest: { onPatronData: redact }'), new Date()),
    },
    settings: { limits: { bodyBytes: 1024 * 1024, patronCacheSize: 1000, patronCacheTtlSeconds: 3600, sessionTtlSeconds: 3600, loginAttemptsPerMinute: 10, loginFailuresPerCard: 10 } },
    clock: { now: new Date() },
    discardLogs: true,
  });
  // Real time for a benchmark: sessions and assertions expire on the wall clock.
  setInterval(() => (gateway.clock.now = new Date()), 100).unref();
  gateway.server.keepAliveTimeout = 60_000;
  const cookie = await gateway.login('20000000000001', '1111');
  process.stdout.write(`COOKIE ${cookie}\n`);
  ready(Number(new URL(gateway.url).port));
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
