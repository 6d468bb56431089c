import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPoolIlsClient } from '../../../../src/channels/sip2/ils/pool-ils-client.ts';
import { MEDIATOR_MESSAGES } from '../../../../src/channels/sip2/handlers/status-handler.ts';
import { REFUSED_MESSAGES } from '../../../../src/channels/sip2/handlers/refuse-handler.ts';
import { createSip2Mediator } from '../../../../src/channels/sip2/index.ts';
import { createVendorLogins } from '../../../../src/channels/sip2/vendor-logins.ts';
import type { CompiledContract } from '../../../../src/contracts/compiled-contract.ts';
import { createLogger } from '../../../../src/log/create-logger.ts';
import { createGatewayMetrics } from '../../../../src/metering/gateway-metrics.ts';
import { createLoginRateLimiter } from '../../../../src/sessions/login-rate-limiter.ts';
import { createSip2Pool } from '../../../../src/sip2/sip2-connection-pool.ts';
import { Sip2ClientError } from '../../../../src/sip2/sip2-client-error.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from '../../../helpers/contracts.ts';

// The mediator's table (what it does with each message code), built from real parts; the ILS
// client's pool is never asked here (its open() fails if it ever were).

function mediatorFor(contracts: CompiledContract[]): ReturnType<typeof createSip2Mediator> {
  const byId = new Map(contracts.map((contract) => [contract.id, contract]));
  const key = Buffer.alloc(32, 3);
  const pool = createSip2Pool({ size: 1, open: () => Promise.reject(new Sip2ClientError('unreachable')) });
  return createSip2Mediator({
    contracts: byId,
    logins: createVendorLogins([]),
    ils: createPoolIlsClient({ pool, institution: 'UWOLS', dialect: { nameFormat: 'first last' }, timeoutMs: 100, now: () => NOW.getTime() }),
    pseudonyms: createTestKeys(),
    metrics: createGatewayMetrics(new Registry(), { version: 'test' }, byId.values()),
    logger: createLogger({ level: 'silent' }),
    clock: () => NOW,
    loginLimiter: createLoginRateLimiter({ key, clientFailures: 5, clientWindowSeconds: 60, cardFailures: 5, cardWindowSeconds: 60 }),
    pinLimiter: createLoginRateLimiter({ key, clientFailures: 5, clientWindowSeconds: 60, cardFailures: 5, cardWindowSeconds: 60 }),
  });
}

const sip2 = (id: string): CompiledContract => compileOrThrow(contractYaml({ upstream: '', identity: 'identity: { delivery: sip2 }', fields: 'fields: {}' }, id), `vendors/${id}.yaml`);
const http = (id: string): CompiledContract => compileOrThrow(contractYaml({}, id), `vendors/${id}.yaml`);

describe('the SIP2 mediator’s table', () => {
  it('lists its handlers in order, each with the codes it takes', () => {
    expect(mediatorFor([sip2('a-sip')]).handlers.map((handler) => [handler.name, [...handler.codes]])).toEqual([
      ['login', ['93']],
      ['status', ['99']],
      ['resend', ['97']],
      ['patron-lookup', ['23', '63']],
      ['end-session', ['35']],
      ['refuse', ['01', '11', '09', '15', '17', '19', '25', '29', '37', '65']],
    ]);
  });

  it('answers exactly the messages its 98 advertises, and refuses the rest of REFUSED_MESSAGES', () => {
    const handlers = mediatorFor([sip2('a-sip')]).handlers;
    const answered = handlers.filter((handler) => handler.name !== 'refuse').flatMap((handler) => handler.codes);
    expect(new Set(answered)).toEqual(MEDIATOR_MESSAGES);
    expect(handlers.find((handler) => handler.name === 'refuse')?.codes).toEqual(REFUSED_MESSAGES);
  });

  it('has no startup problem with sip2 contracts beside contracts of other deliveries', () => {
    expect(mediatorFor([sip2('a-sip'), http('web-vendor'), sip2('b-sip')]).validate()).toEqual([]);
  });

  it('names each sip2 contract without its compiled sip2 part', () => {
    const broken = (id: string): CompiledContract => {
      const contract = sip2(id);
      return { ...contract, identity: { ...contract.identity, sip2: undefined } } as CompiledContract;
    };
    expect(mediatorFor([broken('x-sip'), http('web-vendor'), broken('y-sip')]).validate()).toEqual(['x-sip: sip2 delivery without its compiled sip2 part', 'y-sip: sip2 delivery without its compiled sip2 part']);
  });
});
