import { Registry } from 'prom-client';
import { readIlsAccount } from '../../src/channels/sip2/ils/read-ils-account.ts';
import { renderAnswer } from '../../src/channels/sip2/render-answer.ts';
import { createGatewayMetrics } from '../../src/metering/gateway-metrics.ts';
import { buildSip2Answer } from '../../src/minimize/build-sip2-answer.ts';
import { minimize } from '../../src/minimize/minimize.ts';
import { mapSip2Patron } from '../../src/patrons/sip2-dialect.ts';
import { createLoginRateLimiter } from '../../src/sessions/login-rate-limiter.ts';
import { createSip2Framer } from '../../src/sip2/framer.ts';
import type { PatronInformationResponse } from '../../src/sip2/messages/patron-information.ts';
import { parseSip2Message } from '../../src/sip2/parse-message.ts';
import { requestPatronInformation } from '../../src/sip2/request-patron-information.ts';
import type { Sip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { renderSip2Message } from '../../src/sip2/render-message.ts';
import type { Sip2Message } from '../../src/sip2/sip2-message.ts';
import { createTestKeys, NOW } from '../helpers/contracts.ts';
import { fakeChecksum } from '../helpers/fake-ils.ts';
import { sip2Contract } from '../helpers/sip2-mediator-harness.ts';

/**
 * The mediator's own work per lookup, stage by stage, without sockets: CPU time
 * (process.cpuUsage, so time the process waited for a core on a shared machine does not count),
 * the best of 8 rounds. Set beside the mediator's CPU per lookup in the SIP2 benchmark, it tells
 * the mediator's code from what Node's sockets, timers and the kernel cost around it.
 */
const ROUNDS = 8;
const PER_ROUND = Number(process.env['BENCH_SIP2_STAGE_ITERATIONS'] ?? 20_000);

const protect = (body: string, sequence: number): Buffer => {
  const throughAz = `${body}AY${sequence}AZ`;
  return Buffer.from(`${throughAz}${fakeChecksum(throughAz)}`);
};

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** CPU µs per call of `run`, the best round. */
function measure(run: () => unknown): number {
  for (let index = 0; index < PER_ROUND / 4; index++) run();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const started = cpuMicros();
    for (let index = 0; index < PER_ROUND; index++) run();
    best = Math.min(best, (cpuMicros() - started) / PER_ROUND);
  }
  return best;
}

export async function benchSip2Stages(): Promise<void> {
  // The vendor's 63 and the ILS's 64 as the SIP2 benchmark sends and receives them (the transcript patron).
  const request = protect('6300120240101    120000          AOUWOLS|AAdjfiander|AC|AD6789|', 3);
  const answer = protect(
    '64  Y           00020261129    061540000000000000000100000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BD2 Meadowvale Dr. St Thomas, ON|BEdjfiander@hotmail.com|BF(519) 555 1234|AQBeacock|BLY|CQY|PA20501231|PB19640925|PCA|PIY|',
    3,
  );
  const parsedAnswer = parseSip2Message(answer);
  if (!parsedAnswer.ok) throw new Error('the sample 64 does not parse');
  const ilsAnswer = parsedAnswer.message as PatronInformationResponse;
  const contract = sip2Contract('bench-sip', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied, renewalDenied, cardLost] } }', 'fields: { patronId: { action: pseudonymize } }');
  const delivery = contract.identity.sip2;
  if (delivery === undefined) throw new Error('the bench contract has no sip2 delivery');
  const dialect = { nameFormat: 'first last', birthDate: 'PB', patronType: 'PC', homeBranch: 'AQ' } as const;
  const mapped = mapSip2Patron(ilsAnswer, dialect, 'djfiander');
  if (!mapped.ok) throw new Error('the sample 64 does not map');
  const account = readIlsAccount(ilsAnswer, true, 'PA');
  const keys = createTestKeys();
  const result = minimize(mapped.patron, contract, keys, NOW);
  const answerRequest = { kind: '64', institution: 'UWOLS', patronIdentifier: 'djfiander', language: '000', pinSent: true } as const;
  const limiter = createLoginRateLimiter({ key: Buffer.alloc(32, 7), clientFailures: 1_000_000, clientWindowSeconds: 60, cardFailures: 1_000_000_000, cardWindowSeconds: 900 });
  const metrics = createGatewayMetrics(new Registry(), { version: 'bench' }, [contract]);
  const framer = createSip2Framer();
  const answerLine = Buffer.concat([answer, Buffer.from('\r')]);
  // The 63 the ILS client renders, caught by a pool that answers at once (no socket).
  let upstream: Sip2Message | undefined;
  const catchingPool: Sip2Pool = {
    exchange: async (message) => {
      upstream = message;
      return ilsAnswer as never;
    },
    stats: () => ({ open: 0, idle: 0, waiting: 0 }),
    close: () => undefined,
  };
  await requestPatronInformation(catchingPool, { institution: 'UWOLS', barcode: 'djfiander', pin: '6789', now: NOW.getTime(), timeoutMs: 5000 });
  if (upstream === undefined) throw new Error('no 63 was rendered');
  const upstreamMessage = upstream;

  const stages: Array<[string, () => unknown]> = [
    ['frame a message (x2: vendor, ILS)', () => framer.push(answerLine)],
    ["parse the vendor's 63", () => parseSip2Message(request)],
    ['PIN throttle (card HMAC, two windows)', () => {
      const attempt = limiter.begin('bench-sip\u0000127.0.0.1', 'djfiander', NOW);
      if (attempt.allowed) attempt.succeeded();
    }],
    ["render the ILS's 63 (AY, AZ)", () => renderSip2Message(upstreamMessage, { errorDetection: true, sequence: 3 })],
    ["parse the ILS's 64", () => parseSip2Message(answer)],
    ['read the account, map the patron', () => [readIlsAccount(ilsAnswer, true, 'PA'), mapSip2Patron(ilsAnswer, dialect, 'djfiander')]],
    ['minimize (pseudonym HMAC)', () => minimize(mapped.patron, contract, keys, NOW)],
    ['build and render the answer', () => renderAnswer(buildSip2Answer(answerRequest, account, result, delivery, NOW), 3, true)],
    ['count it (three metrics)', () => {
      metrics.countReleases(contract.id, result, 'sip2');
      metrics.countRequest(contract.id, 'proxied', 'sip2');
      metrics.observeOverhead(contract.id, 0.00005, 'sip2');
    }],
    ['the ILS deadline (a timer, cleared)', () => {
      const deadline = new AbortController();
      clearTimeout(setTimeout(() => deadline.abort(), 5000));
    }],
  ];
  let total = 0;
  console.log(`sip2 mediator stages alone, CPU per lookup (best of ${ROUNDS} x ${PER_ROUND}):`);
  for (const [name, run] of stages) {
    const micros = measure(run);
    const times = name.includes('(x2') ? 2 : 1;
    total += micros * times;
    console.log(`  ${name.padEnd(40)} ${micros.toFixed(2)} µs`);
  }
  console.log(`  ${'together'.padEnd(40)} ${total.toFixed(1)} µs (the rest of the mediator's CPU per lookup is sockets, promises, GC and the kernel)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSip2Stages();
