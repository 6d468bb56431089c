import { afterEach, describe, expect, it } from 'vitest';
import type { IlsFault } from '../helpers/fake-ils.ts';
import { postSignIn, readSessionCookie, startSip2Gateway, type Sip2Gateway } from '../helpers/sip2-gateway.ts';

let running: Sip2Gateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** The page of a sign-in the ILS could not check: 503, the catalogue's words, no session, never "wrong PIN". */
async function expectCannotCheck(response: Response, language: 'en' | 'es' = 'en'): Promise<void> {
  expect(response.status).toBe(503);
  expect(readSessionCookie(response)).toBeUndefined();
  expect(response.headers.get('retry-after')).toBe('30');
  const body = await response.text();
  expect(body).toContain(language === 'en' ? 'The library’s system cannot check cards right now' : 'El sistema de la biblioteca no puede comprobar las tarjetas');
  expect(body).not.toMatch(/wrong|incorrect|not recogni[sz]ed|6789|djfiander|127\.0\.0\.1/i);
}

describe('a faulty ILS means "the library’s system cannot check cards right now" (503), never "wrong PIN", never a crash', () => {
  it.each<[string, IlsFault, string]>([
    ['it never answers (timeout)', 'hang', 'timeout'],
    ['it answers after the timeout', 'slow', 'timeout'],
    ['it answers with bytes that are not SIP2', 'garbage', 'garbage'],
    ['its answer has no BL (unknown is not valid)', 'no-bl', 'BL'],
    ['its answer has no CQ although the PIN was sent (not checked is not right)', 'no-cq', 'CQ'],
    ['it closes the connection in the middle of its answer', 'close-mid-message', 'closed'],
    ['it closes the connection without a byte', 'close', 'closed'],
    ['its checksums are wrong (even after a 97)', 'wrong-checksum', 'bad_checksum'],
    ['it answers with another sequence number', 'wrong-sequence', 'sequence_mismatch'],
    ['it refuses the gateway’s own SIP login', 'refuse-login', 'login_refused'],
    ['it answers a 63 with another message', 'wrong-message', 'garbage'],
  ])('%s', async (_name, fault) => {
    running = await startSip2Gateway({ ils: { slowMs: 1500 }, sip2: { timeoutMs: 300 } });
    running.ils.setFault(fault);
    await expectCannotCheck(await postSignIn(running.gateway.url, 'djfiander', '6789'));
    // The gateway is still up, and signs the patron in once the ILS is healthy again.
    running.ils.setFault('none');
    // A fault that breaks opening a connection (login, checksums, sequence) starts the backoff (200 ms).
    await new Promise((resolve) => setTimeout(resolve, ['refuse-login', 'wrong-checksum', 'wrong-sequence'].includes(fault) ? 250 : 0));
    const retry = await postSignIn(running.gateway.url, 'djfiander', '6789');
    expect(retry.status).toBe(303);
    const health = await fetch(`${running.gateway.url}/healthz`);
    expect(health.status).toBeLessThan(500);
  });

  it('the page is in the patron’s language', async () => {
    running = await startSip2Gateway();
    running.ils.setFault('garbage');
    await expectCannotCheck(await postSignIn(running.gateway.url, 'djfiander', '6789', { 'accept-language': 'es' }), 'es');
  });

  it('an ILS that is down: 503 at once, the pool backs off instead of hammering it, and sign-in works again after it restarts', async () => {
    running = await startSip2Gateway();
    await running.ils.stop();
    const started = performance.now();
    await expectCannotCheck(await postSignIn(running.gateway.url, 'djfiander', '6789'));
    await expectCannotCheck(await postSignIn(running.gateway.url, 'djfiander', '6789'));
    expect(performance.now() - started).toBeLessThan(2000);
    await running.ils.start();
    await new Promise((resolve) => setTimeout(resolve, 700));
    const again = await postSignIn(running.gateway.url, 'djfiander', '6789');
    expect(again.status).toBe(303);
  });

  it('an ILS that drops idle connections (restart, idle timeout): the next sign-in reconnects without an error', async () => {
    running = await startSip2Gateway();
    expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(303);
    running.ils.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(303);
    expect(running.ils.count('93')).toBe(2);
  });

  it('an outage does not count against the card: more failed checks than the per-card limit, then a normal sign-in', async () => {
    running = await startSip2Gateway({ loginAttemptsPerMinute: 3 });
    running.ils.setFault('garbage');
    for (let attempt = 0; attempt < 5; attempt++) expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(503);
    running.ils.setFault('none');
    expect((await postSignIn(running.gateway.url, 'djfiander', '6789')).status).toBe(303);
  });

  it('never falls back to another source: with the ILS down, a patron of the file source cannot sign in either', async () => {
    running = await startSip2Gateway();
    await running.ils.stop();
    const response = await postSignIn(running.gateway.url, 'djfiander', '6789');
    await expectCannotCheck(response);
    expect(running.gateway.logs.join('\n')).not.toMatch(/patrons\.yaml/);
  });
});
