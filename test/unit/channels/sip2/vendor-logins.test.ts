import { describe, expect, it } from 'vitest';
import { createVendorLogins } from '../../../../src/channels/sip2/vendor-logins.ts';

const logins = createVendorLogins([
  { vendorId: 'hoopla', user: Buffer.from('hoopla-user'), password: Buffer.from('hoopla-pass') },
  { vendorId: 'kanopy', user: Buffer.from('kanopy-user'), password: Buffer.from('kanopy-pass') },
]);

describe('vendor logins: a 93 tells vendors apart by their own credentials', () => {
  it.each([
    ['the first vendor’s login', 'hoopla-user', 'hoopla-pass', 'hoopla'],
    ['the second vendor’s login', 'kanopy-user', 'kanopy-pass', 'kanopy'],
    ['a user with another vendor’s password', 'hoopla-user', 'kanopy-pass', undefined],
    ['a wrong password', 'kanopy-user', 'kanopy-pas', undefined],
    ['a prefix of the user', 'hoopla', 'hoopla-pass', undefined],
    ['empty credentials', '', '', undefined],
    ['the user in the password field and the other way round', 'hoopla-pass', 'hoopla-user', undefined],
  ])('%s', (_name, user, password, vendor) => {
    expect(logins.identify(user, password)).toBe(vendor);
  });

  it('two vendors configured with the same credentials: the first one listed (boot refuses this setting)', () => {
    const twice = createVendorLogins([
      { vendorId: 'a', user: Buffer.from('u'), password: Buffer.from('p') },
      { vendorId: 'b', user: Buffer.from('u'), password: Buffer.from('p') },
    ]);
    expect(twice.identify('u', 'p')).toBe('a');
  });
});
