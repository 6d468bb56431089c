import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { converse, protect, readFields, sip2Contract, startMediator, vendorLogin } from '../helpers/sip2-mediator-harness.ts';

/** Every extension code of the reference's section 6, plus site codes. */
const SECTION_6 = ['PA', 'PB', 'PC', 'PI', 'XI', 'AQ', 'BC', 'PZ', 'PX', 'PY', 'PE', 'PS', 'U4', 'U5', 'FA', 'FU', 'FV', 'CG', 'FB', 'FC', 'FD', 'FE', 'FF', 'OR', 'RN', 'XA', 'XB', 'XC', 'DE', 'XY', 'ZY'];
// PB is the birth date the dialect reads: the patron's real one comes first (an adult, so the minors rule stays out of it).
const code = fc.oneof(fc.constantFrom(...SECTION_6), fc.stringMatching(/^[A-Z][A-Z0-9]$/)).filter((id) => id !== 'PB');
/** A canary value: letters and digits only, so it can be searched for exactly. */
const canary = fc.stringMatching(/^[a-z0-9]{6,20}$/).map((value) => `cnry${value}`);

describe('SIP2 mediator: default deny', () => {
  test.prop([fc.array(fc.tuple(code, canary), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(code, canary), { maxLength: 6 })], { numRuns: 20 })(
    'random unknown and section 6 fields from the ILS, before and after BL/CQ, never reach a vendor whose contract releases nothing',
    async (before, after) => {
      const h = await startMediator({
        contracts: [sip2Contract('deny-sip')],
        ils: { patrons: [{ barcode: 'p1', pin: '1', name: 'cnryname', email: 'cnrymail', phone: 'cnryphone', address: 'cnryaddress', status: 'YYYYYYYYYYYYYY', before: [['PB', '19640925'], ...before], after }] },
      });
      try {
        const talk = await converse(h.port, [protect(vendorLogin('deny-sip'), 0), protect('6300120240101    120000          AOUWOLS|AAp1|AC|AD1|', 1), protect('2300120240101    120000AOUWOLS|AAp1|AC|AD1|', 2)]);
        const [, info, status] = talk.answers as [string, string, string];
        expect(readFields(info, 61).map(([id]) => id)).toEqual(['AO', 'AA', 'AE', 'BL', 'CQ']);
        expect(readFields(status, 37).map(([id]) => id)).toEqual(['AO', 'AA', 'AE', 'BL', 'CQ']);
        expect(info.slice(2, 16)).toBe(' '.repeat(14));
        for (const answer of talk.answers) expect(answer).not.toMatch(/cnry/);
      } finally {
        await h.close();
      }
    },
    60_000,
  );
});
