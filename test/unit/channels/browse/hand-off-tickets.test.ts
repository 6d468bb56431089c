import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHandOffTickets, type HandOff } from '../../../../src/channels/browse/hand-off-tickets.ts';
import { createSealedBox } from '../../../../src/channels/browse/sealed-box.ts';
import { createMemorySingleUseTickets } from '../../../../src/sessions/single-use-tickets.ts';

const NOW = new Date('2026-11-29T12:00:00Z');
const HAND_OFF: HandOff = { token: 'sealed-session-token', noticeVersion: 'v1', consents: ['share-email'], path: '/start?x=1' };

function tickets(ttlSeconds = 10) {
  const secret = randomBytes(32);
  const store = createMemorySingleUseTickets();
  return { store, tickets: createHandOffTickets({ secret, box: createSealedBox(secret, 'ticket'), store, ttlSeconds }) };
}

describe('hand-off tickets', () => {
  it('a ticket opens once, on its host, before its expiry', async () => {
    const { tickets: t } = tickets();
    const ticket = await t.issue(HAND_OFF, 'a.proxy.org', NOW);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{24}\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(ticket).not.toContain(HAND_OFF.token);
    expect(await t.redeem(ticket, 'a.proxy.org', NOW)).toEqual(HAND_OFF);
    expect(await t.redeem(ticket, 'a.proxy.org', NOW)).toBeUndefined();
  });

  it('the ticket carries its expiry: ttlSeconds after issue', async () => {
    const { tickets: t } = tickets(7);
    const ticket = await t.issue(HAND_OFF, 'a.proxy.org', NOW);
    expect(Number(ticket.split('.')[1])).toBe(NOW.getTime() / 1000 + 7);
  });

  const refused: Array<[string, (ticket: string) => [string, string, Date]]> = [
    ['on another host', (ticket) => [ticket, 'b.proxy.org', NOW]],
    ['at its expiry second', (ticket) => [ticket, 'a.proxy.org', new Date(NOW.getTime() + 10_000)]],
    ['after its expiry', (ticket) => [ticket, 'a.proxy.org', new Date(NOW.getTime() + 60_000)]],
    ['with its expiry moved (the MAC no longer matches)', (ticket) => [ticket.replace(/\.(\d+)\./, (_m, e: string) => `.${Number(e) + 100}.`), 'a.proxy.org', NOW]],
    ['with another id', (ticket) => [`${'A'.repeat(24)}${ticket.slice(24)}`, 'a.proxy.org', NOW]],
    ['malformed', () => ['not-a-ticket', 'a.proxy.org', NOW]],
    ['with something in front', (ticket) => [`x${ticket}`, 'a.proxy.org', NOW]],
    ['with something after it', (ticket) => [`${ticket}x`, 'a.proxy.org', NOW]],
    ['empty', () => ['', 'a.proxy.org', NOW]],
  ];
  it.each(refused)('refuses a ticket shown %s', async (_why, change) => {
    const { tickets: t } = tickets();
    const ticket = await t.issue(HAND_OFF, 'a.proxy.org', NOW);
    const [shown, host, when] = change(ticket);
    expect(await t.redeem(shown, host, when)).toBeUndefined();
  });

  it('a ticket whose stored hand-off is gone (another node without shared state, or forgotten) opens nothing', async () => {
    const { tickets: t, store } = tickets();
    const ticket = await t.issue(HAND_OFF, 'a.proxy.org', NOW);
    await store.take(`browse:${ticket.split('.')[0]}`);
    expect(await t.redeem(ticket, 'a.proxy.org', NOW)).toBeUndefined();
  });

  it('keeps only string consents of a stored hand-off', async () => {
    const secret = randomBytes(32);
    const store = createMemorySingleUseTickets();
    const box = createSealedBox(secret, 'ticket');
    const t = createHandOffTickets({ secret, box, store, ttlSeconds: 10 });
    const ticket = await t.issue(HAND_OFF, 'a.proxy.org', NOW);
    const id = ticket.split('.')[0] as string;
    await store.take(`browse:${id}`);
    await store.put(`browse:${id}`, box.seal('{"token":"t","noticeVersion":"v","path":"/p","consents":["a",2]}', `${id}|a.proxy.org`), 10);
    expect(await t.redeem(ticket, 'a.proxy.org', NOW)).toEqual({ token: 't', noticeVersion: 'v', path: '/p', consents: ['a'] });
  });

  it('refuses to issue a ticket whose id the store already holds (ids are never reused)', async () => {
    const secret = randomBytes(32);
    const store = { put: async () => false, take: async () => undefined };
    const t = createHandOffTickets({ secret, box: createSealedBox(secret, 'ticket'), store, ttlSeconds: 10 });
    await expect(t.issue(HAND_OFF, 'a.proxy.org', NOW)).rejects.toThrow('ticket id collision');
  });

  it('stores the hand-off for ttlSeconds under its id, sealed', async () => {
    const secret = randomBytes(32);
    const puts: Array<{ id: string; payload: string; ttl: number }> = [];
    const store = { put: async (id: string, payload: string, ttl: number) => (puts.push({ id, payload, ttl }), true), take: async () => undefined };
    const t = createHandOffTickets({ secret, box: createSealedBox(secret, 'ticket'), store, ttlSeconds: 9 });
    const ticket = await t.issue(HAND_OFF, 'a.proxy.org', NOW);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.id).toBe(`browse:${ticket.split('.')[0]}`);
    expect(puts[0]?.ttl).toBe(9);
    expect(puts[0]?.payload).not.toContain(HAND_OFF.token);
  });

  it('a stored hand-off that is not a hand-off opens nothing', async () => {
    const secret = randomBytes(32);
    const store = createMemorySingleUseTickets();
    const box = createSealedBox(secret, 'ticket');
    const t = createHandOffTickets({ secret, box, store, ttlSeconds: 10 });
    const ticket = await t.issue(HAND_OFF, 'a.proxy.org', NOW);
    const id = ticket.split('.')[0] as string;
    for (const bad of ['{"token":1}', 'not json', '{"noticeVersion":"v","path":"/","consents":[]}', '{"token":"t","path":"/","consents":[]}', '{"token":"t","noticeVersion":"v","consents":[]}', '{"token":"t","noticeVersion":"v","path":"/"}', '{"token":"t","noticeVersion":"v","path":"/","consents":"a"}']) {
      await store.take(`browse:${id}`);
      await store.put(`browse:${id}`, box.seal(bad, `${id}|a.proxy.org`), 10);
      expect(await t.redeem(ticket, 'a.proxy.org', NOW)).toBeUndefined();
    }
  });
});
