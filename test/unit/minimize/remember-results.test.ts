import { describe, expect, it } from 'vitest';
import { createRememberedMinimizer } from '../../../src/minimize/remember-results.ts';
import type { Patron } from '../../../src/policy/patron.ts';
import { compileOrThrow, contractYaml, createTestKeys, NOW } from '../../helpers/contracts.ts';

const keys = createTestKeys();
const FIELDS = `fields:
  patronId: { action: pseudonymize, as: sub }
  birthDate: { action: generalize, to: ageBand }
  email: { action: pass, consent: share-email }
  phone: { action: pass, consent: share-phone }`;
const compile = () => compileOrThrow(contractYaml({ fields: FIELDS, minors: 'minors: { under13: block }' }));
// Turns 18 at midnight UTC between NOW's day and the next.
const patron: Patron = { patronId: 'p-1', birthDate: '2008-11-30', email: 'a@example.org', phone: '555-0100' };
const at = (iso: string) => new Date(iso);

describe('remembered minimizer', () => {
  it('the same session, vendor and consents on the same day give the very same result object', () => {
    const remembered = createRememberedMinimizer({ pseudonyms: keys, max: 10 });
    const contract = compile();
    const first = remembered.minimize('s1', patron, contract, ['share-email'], at('2026-11-29T00:00:00Z'));
    expect(remembered.minimize('s1', patron, contract, ['share-email'], at('2026-11-29T23:59:59.999Z'))).toBe(first);
    expect(first.view).toMatchObject({ ageBand: '12-17', email: 'a@example.org' });
  });

  it('the next UTC day is minimized again (ages change at midnight: here the patron turns 18)', () => {
    const remembered = createRememberedMinimizer({ pseudonyms: keys, max: 10 });
    const contract = compile();
    const today = remembered.minimize('s1', patron, contract, [], NOW);
    const tomorrow = remembered.minimize('s1', patron, contract, [], at('2026-11-30T00:00:00Z'));
    expect(today.view).toMatchObject({ ageBand: '12-17' });
    expect(tomorrow.view).toMatchObject({ ageBand: '18-64' });
  });

  it('a refreshed patron record is minimized again (the result follows the record it was made from)', () => {
    const remembered = createRememberedMinimizer({ pseudonyms: keys, max: 10 });
    const contract = compile();
    remembered.minimize('s1', patron, contract, ['share-email'], NOW);
    const changed = remembered.minimize('s1', { ...patron, email: 'new@example.org' }, contract, ['share-email'], NOW);
    expect(changed.view).toMatchObject({ email: 'new@example.org' });
  });

  it.each([
    ['other consents give their own result (the consents decide what is released)', 's1', ['share-phone']],
    ['consents that join to the same letters are still different consents', 's1', ['share-emailshare-phone']],
    ['another session gets its own result', 's2', ['share-email', 'share-phone']],
  ])('%s', (_name, session, consents) => {
    const remembered = createRememberedMinimizer({ pseudonyms: keys, max: 10 });
    const contract = compile();
    const first = remembered.minimize('s1', patron, contract, ['share-email', 'share-phone'], NOW);
    const second = remembered.minimize(session, patron, contract, consents, NOW);
    expect(second).not.toBe(first);
    expect(second).toEqual(remembered.minimize(`${session}-fresh`, patron, contract, consents, NOW));
  });

  it('the consents passed in are the ones used, not the record\'s standing opt-ins', () => {
    const remembered = createRememberedMinimizer({ pseudonyms: keys, max: 10 });
    const result = remembered.minimize('s1', { ...patron, consents: ['share-email', 'share-phone'] }, compile(), [], NOW);
    expect(result.view).not.toHaveProperty('email');
    expect(result.view).not.toHaveProperty('phone');
  });
});
