import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway } from '../helpers/cli.ts';
import { startShippedDemo, type ShippedDemo } from '../helpers/shipped-demo.ts';

/**
 * The embedded demo's SIP2 side, end to end on the shipped files: `npm start` (main.ts on the
 * shipped config/gateway.yaml, its ports moved to free ones) starts the demo ILS and the SIP2
 * mediator with the shipped demo SIP2 vendor (vendors/audiobooks-sip2-demo.yaml) and its demo-only
 * login files; `gateway sip2-probe` then plays that vendor. The process runs on the wall clock, so
 * the shipped contracts are copied with dates around today.
 */
let demo: ShippedDemo;
let vendors: string;
let settings: string;

beforeAll(async () => {
  demo = await startShippedDemo({ name: 'gw-demo-sip2', readyWhen: /sip2 mediator listening/ });
  ({ vendors, settings } = demo);
});

afterAll(async () => {
  await demo?.stop();
});

const probe = (barcode: string, pin: string) =>
  spawnGateway(['sip2-probe', 'audiobooks-sip2-demo', '--barcode', barcode, '--pin-env', 'PROBE_PIN', '--config', settings], { PROBE_PIN: pin, GATEWAY_VENDORS_DIR: vendors });

function column(stdout: string, id: string): { ils: string; mediator: string } {
  const line = stdout.split('\n').find((l) => l.startsWith(id.padEnd(8))) ?? '';
  return { ils: line.slice(8, 48).trim(), mediator: line.slice(49).trim() };
}

describe('the embedded demo: a demo SIP2 vendor asks the mediator, which asks the demo ILS', () => {
  it('an adult demo patron: the ILS gives name, address, e-mail, phone and birth date; the vendor gets a pseudonym in AA, an age group and validity only', async () => {
    const result = await probe('29000000000001', '1111');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(column(result.stdout, 'AE')).toEqual({ ils: 'Ada Demo-Patron', mediator: 'Library Patron' });
    expect(column(result.stdout, 'BE')).toEqual({ ils: 'ada.demo@example.org', mediator: '(withheld)' });
    expect(column(result.stdout, 'BD').mediator).toBe('(withheld)');
    expect(column(result.stdout, 'PB')).toEqual({ ils: '19880412', mediator: '(withheld)' });
    expect(column(result.stdout, 'XI')).toEqual({ ils: 'p-0001', mediator: '(withheld)' });
    expect(column(result.stdout, 'PZ').mediator).toBe('18+');
    const aa = column(result.stdout, 'AA');
    expect(aa.ils).toBe('29000000000001');
    expect(aa.mediator).toMatch(/^[a-z0-9]{20,}$/);
    expect(column(result.stdout, 'BL')).toEqual({ ils: 'Y', mediator: 'Y' });
    expect(column(result.stdout, 'CQ')).toEqual({ ils: 'Y', mediator: 'Y' });
    // The PIN is read from the environment and never printed.
    expect(result.stdout).not.toContain('1111');
    // Nothing about the patron in the gateway's own output (its logs).
    for (const canary of ['29000000000001', 'Ada', 'ada.demo@example.org', '19880412']) expect(demo.output()).not.toContain(canary);
  });

  it('a wrong PIN: the vendor learns "not this PIN" (CQ N) and nothing else, as the ILS answered', async () => {
    const result = await probe('29000000000001', '0000');
    expect(result.code).toBe(0);
    expect(column(result.stdout, 'CQ')).toEqual({ ils: 'N', mediator: 'N' });
    // No age group and no pseudonym: the barcode the vendor typed comes back, and nothing else.
    expect(result.stdout).not.toMatch(/^PZ/m);
    expect(column(result.stdout, 'AA')).toEqual({ ils: '29000000000001', mediator: '29000000000001' });
    expect(column(result.stdout, 'AE')).toEqual({ ils: 'Ada Demo-Patron', mediator: 'Library Patron' });
    // The fixed part: the 14 status flags after the code are all blank.
    const fixed = [...(result.stdout.split('\n').find((l) => l.startsWith('fixed')) ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
    expect(fixed).toHaveLength(2);
    expect(fixed[1]?.slice(2, 16)).toBe(' '.repeat(14));
  });
});
