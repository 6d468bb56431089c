import { describe, expect, it } from 'vitest';
import { generalize } from '../../../../src/policy/actions/generalize.ts';
import type { CanonicalField } from '../../../../src/policy/canonical-fields.ts';

describe('generalize: "did you mean" for a misspelt generalization', () => {
  it.each([
    ['a near miss of one that fits the field is suggested', 'birthDate', 'ageBnd', 'did you mean "ageBand"? Otherwise use '],
    ['a near miss of one that fits only another field is still suggested (then the fields are listed)', 'email', 'ageBnd', 'did you mean "ageBand"? Otherwise use '],
  ])('%s', (_name, field, to, start) => {
    const [problem] = generalize.validate(field as CanonicalField, { action: 'generalize', to });
    expect(problem?.message).toBe(`"${to}" is not a generalization`);
    expect(problem?.fix.startsWith(start)).toBe(true);
  });

  it('a name near nothing gets no suggestion, only the choices', () => {
    const [problem] = generalize.validate('email', { action: 'generalize', to: 'zzzzzzzz' });
    expect(problem?.fix.startsWith('use ')).toBe(true);
  });
});
