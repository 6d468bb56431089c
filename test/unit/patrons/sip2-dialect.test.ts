import { describe, expect, it } from 'vitest';
import { mapSip2Patron, readBirthDate, splitPersonalName, type Sip2Dialect } from '../../../src/patrons/sip2-dialect.ts';
import type { PatronInformationResponse } from '../../../src/sip2/messages/patron-information.ts';
import { parseSip2Message } from '../../../src/sip2/parse-message.ts';
import { TRANSCRIPT_WITH_ERROR_DETECTION } from '../../helpers/sip2-transcripts.ts';

function answer(text: string): PatronInformationResponse {
  const outcome = parseSip2Message(Buffer.from(text, 'latin1'));
  if (!outcome.ok || outcome.message.code !== '64') throw new Error('not a 64');
  return outcome.message;
}

const EVERGREEN: Sip2Dialect = { nameFormat: 'first last', birthDate: 'PB', patronType: 'PC', homeBranch: 'AQ' };
const djfiander = answer(TRANSCRIPT_WITH_ERROR_DETECTION[5]?.response as string);
const head = '64              00120261129    061540000000000000000000000000';

describe('mapping a 64 to the canonical patron through the dialect', () => {
  it('maps the recorded 64 of djfiander with the Evergreen dialect (no patronId field: the card number)', () => {
    expect(mapSip2Patron(djfiander, EVERGREEN, 'djfiander')).toEqual({
      ok: true,
      patron: {
        patronId: 'djfiander',
        barcode: 'djfiander',
        firstName: 'David J.',
        lastName: 'Fiander',
        email: 'djfiander@hotmail.com',
        phone: '(519) 555 1234',
        address: { street: '2 Meadowvale Dr. St Thomas, ON' },
        birthDate: '1964-09-25',
        patronType: 'A',
        homeBranch: 'Beacock',
      },
    });
  });

  it('reads nothing the dialect does not name: no birth date, type or branch without their fields; never PA, PI or lists', () => {
    const mapped = mapSip2Patron(djfiander, { nameFormat: 'first last' }, 'djfiander');
    expect(mapped.ok && mapped.patron).toEqual({ patronId: 'djfiander', barcode: 'djfiander', firstName: 'David J.', lastName: 'Fiander', email: 'djfiander@hotmail.com', phone: '(519) 555 1234', address: { street: '2 Meadowvale Dr. St Thomas, ON' } });
    expect(JSON.stringify(mapped)).not.toMatch(/20501231|Computer Time|"Y"/);
  });

  it.each([
    ['XI present: the internal id is the patronId and the card stays the barcode', `${head}AOX|AA2900|AEDoe, Jane|XI8812|`, { patronId: '8812', barcode: '2900', firstName: 'Jane', lastName: 'Doe' }],
    ['the ILS answers another AA than typed (Koha transforms it): that is the barcode', `${head}AOX|AA  29000042 |AEDoe, Jane|XI1|`, { barcode: '29000042' }],
    ['an empty AA: the typed card number', `${head}AOX|AA|AEDoe, Jane|XI1|`, { barcode: 'typed-card' }],
    ['a dialect naming a standard field of the 64 (BD as home branch)', `${head}AOX|AA1|AE|BDNorth|XI1|`, { homeBranch: 'North' }],
    ['a Polaris birth date with a time (BC)', `${head}AOX|AA1|AE|XI1|BC19801231 235959|`, { birthDate: '1980-12-31' }],
    ['the language of the 64 when the gateway has pages in it (008: es)', '64              00820261129    061540000000000000000000000000AOX|AA1|AE|XI1|', { language: 'es' }],
  ])('%s', (_name, text, expected) => {
    const dialect: Sip2Dialect = { nameFormat: 'last, first', patronId: 'XI', birthDate: 'BC', homeBranch: 'BD' };
    const mapped = mapSip2Patron(answer(text), dialect, 'typed-card');
    expect(mapped.ok).toBe(true);
    expect(mapped.ok && mapped.patron).toMatchObject(expected);
  });

  it.each([
    ['absent', `${head}AOX|AA1|AEDoe, Jane|`],
    ['empty', `${head}AOX|AA1|AEDoe, Jane|XI|`],
    ['blank', `${head}AOX|AA1|AEDoe, Jane|XI   |`],
  ])('refuses a 64 whose dialect patronId field is %s (never falls back to the card number: pseudonyms would change)', (_name, text) => {
    expect(mapSip2Patron(answer(text), { nameFormat: 'first last', patronId: 'XI' }, 'card')).toEqual({ ok: false, reason: 'no_patron_id' });
  });

  it.each([
    ['David J. Fiander', 'first last', { firstName: 'David J.', lastName: 'Fiander' }],
    ['  Mike   Rylander ', 'first last', { firstName: 'Mike', lastName: 'Rylander' }],
    ['Cher', 'first last', { lastName: 'Cher' }],
    ['Doe, John', 'last, first', { firstName: 'John', lastName: 'Doe' }],
    ['Doe,John Paul', 'last, first', { firstName: 'John Paul', lastName: 'Doe' }],
    ['Doe', 'last, first', { lastName: 'Doe' }],
    ['Doe,', 'last, first', { lastName: 'Doe' }],
    [', John', 'last, first', { firstName: 'John' }],
    ['', 'first last', {}],
    ['   ', 'last, first', {}],
  ] as const)('splits %j written %j', (name, format, expected) => {
    expect(splitPersonalName(name, format)).toEqual(expected);
  });

  it.each([
    ['19640925', '1964-09-25'],
    ['19801231 235959', '1980-12-31'],
    ['20240229', '2024-02-29'],
    ['20230229', undefined],
    ['20000229', '2000-02-29'],
    ['19000229', undefined],
    ['19640431', undefined],
    ['19640930', '1964-09-30'],
    ['19640931', undefined],
    ['19640900', undefined],
    ['19640025', undefined],
    ['19641325', undefined],
    ['1964-09-25', undefined],
    ['640925', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads birth date %j as %j (never a made-up date)', (value, expected) => {
    expect(readBirthDate(value)).toBe(expected);
  });
});
