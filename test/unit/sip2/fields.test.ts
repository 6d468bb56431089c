import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { escapeValue, FIELD_NAMES, MAX_VALUE_LENGTH, renderField, splitVariableFields, unescapeValue } from '../../../src/sip2/fields.ts';

describe('SIP2 variable fields', () => {
  it.each([
    ['plain fields', 'AOX|AA1|', [['AO', 'X'], ['AA', '1']]],
    ['no final |', 'AOX|AA1', [['AO', 'X'], ['AA', '1']]],
    ['empty values', 'AC|AD|', [['AC', ''], ['AD', '']]],
    ['|| is an empty segment, skipped', 'AC||AD1|', [['AC', ''], ['AD', '1']]],
    ['a | followed by a blank stays in the value', 'AEDoe | Jane|', [['AE', 'Doe | Jane']]],
    ['a | followed by mixed case stays in the value', 'AEDoe|Jane|', [['AE', 'Doe|Jane']]],
    ['a | followed by a digit stays in the value', 'BD1 Main|42 Elm|', [['BD', '1 Main|42 Elm']]],
    ['a | followed by one capital then a blank stays in the value', 'AEA|B C|', [['AE', 'A|B C']]],
    ['a | followed by a capital and a digit starts a field (odd codes)', 'AOX|Z9odd|', [['AO', 'X'], ['Z9', 'odd']]],
    ['a | followed by two lowercase letters starts a field (lowercase codes)', 'AOX|xaodd|', [['AO', 'X'], ['xa', 'odd']]],
    ['a | followed by a lowercase letter and a digit starts a field', 'AOX|x1odd|', [['AO', 'X'], ['x1', 'odd']]],
    ['a | followed by a lowercase then an uppercase letter stays in the value', 'AEa|bC|', [['AE', 'a|bC']]],
    ['a | at the very end followed by nothing', 'AEx|', [['AE', 'x']]],
    ['&#124; stands for |', 'AEa&#124;b|', [['AE', 'a|b']]],
    ['a one-character segment keeps what it has', 'A|', [['A', '']]],
    ['nothing', '', []],
  ])('%s', (_name, text, expected) => {
    expect(splitVariableFields(text)).toEqual(expected);
  });

  it.each([
    ['|', '&#124;'],
    ['a\rb\nc', 'a b c'],
    ['x'.repeat(MAX_VALUE_LENGTH + 1), 'x'.repeat(MAX_VALUE_LENGTH)],
    ['x'.repeat(MAX_VALUE_LENGTH), 'x'.repeat(MAX_VALUE_LENGTH)],
    ['plain', 'plain'],
  ])('escapes %j as %j', (value, expected) => {
    expect(escapeValue(value)).toBe(expected);
  });

  it('renders ID, value and |; unescapes only &#124;', () => {
    expect(renderField('AE', 'a|b')).toBe('AEa&#124;b|');
    expect(unescapeValue('a&#124;b&#124;')).toBe('a|b|');
    expect(unescapeValue('a&#12;b')).toBe('a&#12;b');
  });

  it('names every standard field of section 4.10 and the 3M extensions', () => {
    for (const id of ['AA', 'AD', 'AE', 'AY', 'AZ', 'BL', 'CQ', 'CN', 'CO', 'CY', 'DA', 'BX']) expect(FIELD_NAMES[id]).toBeTypeOf('string');
    expect(Object.keys(FIELD_NAMES).every((id) => /^[A-Z]{2}$/.test(id))).toBe(true);
  });

  test.prop([fc.array(fc.tuple(fc.stringMatching(/^[A-Z]{2}$/), fc.string({ maxLength: 40 }).filter((value) => !/[\r\n]/.test(value) && !value.includes('&#124;'))), { maxLength: 8 })])(
    'split(render(fields)) gives back the same fields, whatever the values hold',
    (fields) => {
      const text = fields.map(([id, value]) => renderField(id, value)).join('');
      expect(splitVariableFields(text)).toEqual(fields.map(([id, value]) => [id, value.slice(0, MAX_VALUE_LENGTH)]));
    },
  );
});
