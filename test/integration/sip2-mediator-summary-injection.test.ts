import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, protect, readFields, sip2Contract, startMediator, vendorLogin, type MediatorHarness } from '../helpers/sip2-mediator-harness.ts';

const LIST_FIELDS = ['AS', 'AT', 'AU', 'AV', 'BU', 'CD'];

describe('SIP2 mediator: summary injection (reference 10.5)', () => {
  let h: MediatorHarness;
  beforeAll(async () => {
    h = await startMediator({ contracts: [sip2Contract('inject-sip', 'identity: { delivery: sip2, sip2: { statusFlags: [chargeDenied] } }', 'fields: { email: { action: pass } }')] });
  });
  afterAll(() => h.close());

  it.each([0, 1, 2, 3, 4, 5, 6, 9])('a vendor 63 with Y in summary position %i, BP and BQ: upstream asks with 10 blanks and no BP/BQ, and no list field comes back', async (position) => {
    const summary = `${' '.repeat(position)}Y${' '.repeat(9 - position)}`;
    const sent = h.ils.received.length;
    const talk = await converse(h.port, [protect(vendorLogin('inject-sip'), 0), protect(`6300120240101    120000${summary}AOUWOLS|AAdjfiander|AC|AD6789|BP1|BQ5|`, 1)]);
    const upstream = h.ils.received.slice(sent).filter((m) => m.code === '63');
    expect(upstream).toHaveLength(1);
    expect(upstream[0]?.text.slice(23, 33)).toBe(' '.repeat(10));
    expect(upstream[0]?.text).not.toMatch(/\|BP|\|BQ/);
    const info = talk.answers[1] as string;
    const ids = readFields(info, 61).map(([id]) => id);
    for (const list of LIST_FIELDS) expect(ids).not.toContain(list);
    expect(info).not.toContain('Computer Time');
    expect(info.slice(37, 61)).toBe(' '.repeat(24));
  });

  it('a summary with every position set still goes upstream blank', async () => {
    const sent = h.ils.received.length;
    await converse(h.port, [protect(vendorLogin('inject-sip'), 0), protect('6300120240101    120000YYYYYYYYYYAOUWOLS|AAdjfiander|AC|AD6789|', 1)]);
    expect(h.ils.received.slice(sent).find((m) => m.code === '63')?.text.slice(23, 33)).toBe(' '.repeat(10));
  });

  it('the vendor’s AC, AO and extra fields never travel upstream: the gateway sends its own', async () => {
    const sent = h.ils.received.length;
    await converse(h.port, [protect(vendorLogin('inject-sip'), 0), protect('6300120240101    120000          AOVENDORINST|AAdjfiander|ACterminalsecret|AD6789|XZinjected|', 1)]);
    const upstream = h.ils.received.slice(sent).find((m) => m.code === '63')?.text ?? '';
    expect(upstream).toMatch(/AOUWOLS\|AAdjfiander\|AC\|AD6789\|/);
    expect(upstream).not.toMatch(/VENDORINST|terminalsecret|XZ|injected/);
  });
});
