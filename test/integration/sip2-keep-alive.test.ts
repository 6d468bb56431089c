import { afterEach, describe, expect, it, vi } from 'vitest';
import { BLANK_SUMMARY, type PatronInformationRequest } from '../../src/sip2/messages/patron-information.ts';
import { createSip2Pool, type Sip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';
import { startFakeIls, type FakeIls, type FakeIlsOptions } from '../helpers/fake-ils.ts';

/**
 * Keep-alive on idle pooled ILS connections (patrons.sip2.keepAliveMs): a 99 SC Status on each
 * connection idle that long, over real TCP to the fake ILS, which counts every message. Small
 * intervals stand in for the 30 s default; the tests wait for what the ILS received, never for a time.
 */
const REQUEST: PatronInformationRequest = { code: '63', language: '000', transactionDate: '20261129   Z120000', summary: BLANK_SUMMARY, institutionId: 'UWOLS', patronIdentifier: 'djfiander', terminalPassword: '', patronPassword: '6789' };
const WAIT = { timeout: 5000, interval: 10 };

const opened: Array<{ ils: FakeIls; pool: Sip2Pool }> = [];
afterEach(async () => {
  for (const { ils, pool } of opened.splice(0)) {
    pool.close();
    await ils.close();
  }
});

async function ilsAndPool(everyMs: number, ilsOptions: FakeIlsOptions = {}, timeoutMs = 1000): Promise<{ ils: FakeIls; pool: Sip2Pool }> {
  const ils = await startFakeIls(ilsOptions);
  const pool = createSip2Pool({
    size: 1,
    keepAlive: { everyMs, timeoutMs },
    open: (signal) => openSip2Connection({ host: ils.host, port: ils.port, login: { user: 'scclient', password: 'clientpwd' } }, signal),
  });
  opened.push({ ils, pool });
  return { ils, pool };
}

/** Which connection (the fake's numbering from 1) each message of `code` arrived on. */
const connectionsOf = (ils: FakeIls, code: string): number[] => ils.received.filter((message) => message.code === code).map((message) => message.connection);

describe('keep-alive on idle ILS connections', () => {
  it('sends a 99 on a connection idle for the interval, again while it stays idle, on the same connection', async () => {
    const { ils, pool } = await ilsAndPool(30);
    expect((await pool.exchange(REQUEST, '64')).validPatronPassword).toBe(true);
    // One 99 when the connection opened, then keep-alives.
    await vi.waitFor(() => expect(ils.count('99')).toBeGreaterThanOrEqual(4), WAIT);
    expect(ils.connections()).toBe(1);
    expect(new Set(connectionsOf(ils, '99'))).toEqual(new Set([1]));
    expect(pool.stats()).toMatchObject({ open: 1, idle: 1, waiting: 0 });
    // Still usable, without a new connection or another login.
    expect((await pool.exchange(REQUEST, '64')).code).toBe('64');
    expect(connectionsOf(ils, '63')).toEqual([1, 1]);
    expect(ils.count('93')).toBe(1);
  });

  it('sends nothing with keepAliveMs 0 (off), while a pool with keep-alive beside it has sent several', async () => {
    const off = await ilsAndPool(0);
    const on = await ilsAndPool(30);
    await Promise.all([off.pool.exchange(REQUEST, '64'), on.pool.exchange(REQUEST, '64')]);
    await vi.waitFor(() => expect(on.ils.count('99')).toBeGreaterThanOrEqual(4), WAIT);
    expect(off.ils.count('99')).toBe(1);
  });

  it.each([
    ['keeps the connection open past an ILS idle timeout when the interval is shorter', 30, 1],
    ['loses the connection to the ILS idle timeout without keep-alive, and the next request opens another', 0, 2],
  ])('%s', async (_name, everyMs, connections) => {
    const witness = await ilsAndPool(30);
    const { ils, pool } = await ilsAndPool(everyMs, { idleTimeoutMs: 150 });
    await Promise.all([pool.exchange(REQUEST, '64'), witness.pool.exchange(REQUEST, '64')]);
    // Long enough for several idle timeouts: the witness pool (keep-alive every 30 ms) has sent 15 keep-alives.
    await vi.waitFor(() => expect(witness.ils.count('99')).toBeGreaterThanOrEqual(16), WAIT);
    expect((await pool.exchange(REQUEST, '64')).validPatronPassword).toBe(true);
    expect(ils.connections()).toBe(connections);
  });

  it('replaces a connection that stopped answering (a firewall that forgot it), so the next request finds a working one', async () => {
    const { ils, pool } = await ilsAndPool(30, {}, 100);
    await pool.exchange(REQUEST, '64');
    ils.silenceConnections();
    await vi.waitFor(() => {
      expect(ils.connections()).toBe(2);
      expect(pool.stats()).toMatchObject({ open: 1, idle: 1 });
    }, WAIT);
    // The unanswered keep-alive went to the silent connection; the fresh one logged in again.
    expect(connectionsOf(ils, '99')).toContain(1);
    expect(connectionsOf(ils, '93')).toEqual([1, 2]);
    expect((await pool.exchange(REQUEST, '64')).validPatronPassword).toBe(true);
    expect(connectionsOf(ils, '63')).toEqual([1, 2]);
  });

  it('stops when the pool closes: no keep-alive after close', async () => {
    const { ils, pool } = await ilsAndPool(30);
    const witness = await ilsAndPool(30);
    await Promise.all([pool.exchange(REQUEST, '64'), witness.pool.exchange(REQUEST, '64')]);
    await vi.waitFor(() => expect(ils.count('99')).toBeGreaterThanOrEqual(2), WAIT);
    pool.close();
    const before = ils.count('99');
    const witnessBefore = witness.ils.count('99');
    await vi.waitFor(() => expect(witness.ils.count('99')).toBeGreaterThanOrEqual(witnessBefore + 3), WAIT);
    expect(ils.count('99')).toBe(before);
  });
});
