import { describe, expect, it } from 'vitest';
import { CLEAR_PATRON_STATUS, keepPatronStatusFlags, PATRON_STATUS_FLAGS, PATRON_STATUS_LENGTH, parsePatronStatus, renderPatronStatus } from '../../../src/sip2/patron-status.ts';

describe('the 14-character patron status (reference 4.8)', () => {
  it('has 14 flags in the order of the spec', () => {
    expect(PATRON_STATUS_FLAGS).toHaveLength(PATRON_STATUS_LENGTH);
    expect(PATRON_STATUS_FLAGS[0]).toBe('chargePrivilegesDenied');
    expect(PATRON_STATUS_FLAGS[4]).toBe('cardReportedLost');
    expect(PATRON_STATUS_FLAGS[13]).toBe('tooManyItemsBilled');
  });

  it.each([
    ['recall denied only (djfiander)', '  Y           ', ['recallPrivilegesDenied']],
    ['unknown patron: the first four', 'YYYY          ', ['chargePrivilegesDenied', 'renewalPrivilegesDenied', 'recallPrivilegesDenied', 'holdPrivilegesDenied']],
    ['lowercase y counts', '    y         ', ['cardReportedLost']],
    ['N, digits and other characters do not count', 'N1xZ          ', []],
    ['a short field reads the rest as false', '             Y', ['tooManyItemsBilled']],
    ['an empty field', '', []],
  ])('%s', (_name, field, set) => {
    const status = parsePatronStatus(field);
    expect(PATRON_STATUS_FLAGS.filter((flag) => status[flag])).toEqual(set);
  });

  it('renders Y and blanks, 14 characters', () => {
    expect(renderPatronStatus(CLEAR_PATRON_STATUS)).toBe(' '.repeat(14));
    expect(renderPatronStatus(parsePatronStatus('Y   Y        Y'))).toBe('Y   Y        Y');
    expect(renderPatronStatus(parsePatronStatus('yyyyyyyyyyyyyy'))).toBe('Y'.repeat(14));
  });

  it('keeps only the allowed positions (hoopla: 0, 1, 4); every other flag is cleared', () => {
    const all = parsePatronStatus('Y'.repeat(14));
    expect(renderPatronStatus(keepPatronStatusFlags(all, new Set([0, 1, 4])))).toBe('YY  Y         ');
    expect(renderPatronStatus(keepPatronStatusFlags(CLEAR_PATRON_STATUS, new Set([0, 1, 4])))).toBe(' '.repeat(14));
    expect(renderPatronStatus(keepPatronStatusFlags(all, new Set()))).toBe(' '.repeat(14));
  });
});
