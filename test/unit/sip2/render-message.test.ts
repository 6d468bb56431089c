import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeText, SIP2_ENCODINGS } from '../../../src/sip2/encoding.ts';
import { parseSip2Message } from '../../../src/sip2/parse-message.ts';
import { CLEAR_PATRON_STATUS } from '../../../src/sip2/patron-status.ts';
import { type RenderOptions, renderSip2Message } from '../../../src/sip2/render-message.ts';
import type { Sip2Sequence } from '../../../src/sip2/sequence.ts';
import { Sip2FormatError } from '../../../src/sip2/sip2-format-error.ts';
import type { Sip2Message } from '../../../src/sip2/sip2-message.ts';
import { sip2MessageArbitrary } from '../../helpers/sip2-arbitraries.ts';

const sequence = fc.integer({ min: 0, max: 9 }).map((value) => value as Sip2Sequence);
const withoutTerminator = (wire: Uint8Array): Uint8Array => wire.subarray(0, wire.length - 1);
const text = (wire: Uint8Array): string => Buffer.from(wire).toString('latin1');

const patron24: Sip2Message = {
  code: '24',
  patronStatus: { ...CLEAR_PATRON_STATUS, recallPrivilegesDenied: true },
  language: '001',
  transactionDate: '20261129    061540',
  institutionId: 'UWOLS',
  patronIdentifier: 'djfiander',
  personalName: 'David J. Fiander',
  validPatron: true,
  validPatronPassword: true,
  screenMessages: [],
  printLines: [],
};

describe('rendering SIP2 messages', () => {
  test.prop([sip2MessageArbitrary, sequence, fc.boolean()], { numRuns: 2000 })(
    'parse(render(m)) = m for every message type, with and without error detection (unknown fields come back empty)',
    (message, ay, errorDetection) => {
      const wire = renderSip2Message(message, { errorDetection, sequence: ay });
      expect(wire[wire.length - 1]).toBe(0x0d);
      const parsed = parseSip2Message(withoutTerminator(wire));
      expect(parsed).toMatchObject({ ok: true, missing: [] });
      if (!parsed.ok) return;
      expect(parsed.message).toEqual({ ...message, unknown: [] });
      expect(parsed.checksum).toBe(errorDetection ? 'valid' : 'absent');
      const sequenced = message.code !== '97' && message.code !== '96';
      expect(parsed.sequence).toBe(errorDetection && sequenced ? ay : undefined);
    },
  );

  test.prop([sip2MessageArbitrary, fc.constantFrom(...SIP2_ENCODINGS), sequence])(
    'in every encoding the checksum is computed over the encoded bytes, so it verifies on the peer',
    (message, encoding, ay) => {
      const wire = renderSip2Message(message, { errorDetection: true, sequence: ay, encoding });
      const parsed = parseSip2Message(withoutTerminator(wire), { encoding });
      expect(parsed.ok && parsed.checksum).toBe('valid');
    },
  );

  test.prop([sip2MessageArbitrary, fc.array(fc.tuple(fc.stringMatching(/^[A-Z]{2}$/), fc.stringMatching(/^canary[a-z]{4}$/)), { minLength: 1, maxLength: 5 })])(
    'fields the message type does not define are kept apart in `unknown` and never rendered again (default deny)',
    (message, extras) => {
      const base = text(withoutTerminator(renderSip2Message(message)));
      const parsed = parseSip2Message(Buffer.from(base + extras.map(([id, value]) => `${id}${value}|`).join(''), 'latin1'));
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      for (const [id, value] of extras) {
        if ((parsed.message.unknown ?? []).some(([knownId, knownValue]) => knownId === id && knownValue === value)) {
          expect(text(renderSip2Message(parsed.message))).not.toContain(value);
        }
      }
      expect(text(renderSip2Message({ ...parsed.message, unknown: extras }))).toBe(text(renderSip2Message(parsed.message)));
    },
  );

  it.each([
    ['the 24 of the transcript, in spec order, with AY and AZ', patron24, { errorDetection: true, sequence: 2 as const }, '24  Y           00120261129    061540AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQY|AY2AZ'],
    ['a 94 with no variable fields puts AY right after the fixed part', { code: '94', ok: true } as const, { errorDetection: true, sequence: 0 as const }, '941AY0AZFDFD'],
    ['97 carries AZ and never AY', { code: '97' } as const, { errorDetection: true, sequence: 4 as const }, '97AZFEF5'],
    ['96 carries AZ and never AY', { code: '96' } as const, { errorDetection: true }, '96AZFEF6'],
    ['without error detection there is no trailer', { code: '94', ok: false } as const, {}, '940'],
    ['an empty required AE is still written (AE| is how clients expect "no name")', { ...patron24, personalName: '', validPatronPassword: undefined }, {}, '24  Y           00120261129    061540AOUWOLS|AAdjfiander|AE|BLY|'],
  ] as ReadonlyArray<readonly [string, Sip2Message, RenderOptions, string]>)('%s', (_name, message, options, expected) => {
    const wire = text(renderSip2Message(message as Sip2Message, options));
    expect(wire.startsWith(expected)).toBe(true);
    expect(wire.endsWith('\r')).toBe(true);
    if (options.errorDetection === true) expect(wire.length).toBe(expected.length + (expected.endsWith('AZ') ? 5 : 1));
  });

  it.each([
    ['a `|` inside a value is written &#124; (so it cannot start a field)', 'Doe|Jane', 'AEDoe&#124;Jane|'],
    ['CR and LF inside a value become blanks (they would end the message)', 'Jane\r\nDoe', 'AEJane  Doe|'],
    ['a value longer than 255 characters is cut at 255', 'x'.repeat(300), `AE${'x'.repeat(255)}|`],
  ])('%s', (_name, personalName, expected) => {
    expect(text(renderSip2Message({ ...patron24, personalName }))).toContain(expected);
  });

  it.each([
    ['a date that is not 18 characters', { ...patron24, transactionDate: '20261129 061540' }],
    ['a language of 2 digits', { ...patron24, language: '01' }],
    ['a fixed field with a CR', { ...patron24, language: '0\r1' }],
    ['a count above 9999', { ...patron24, code: '64', holdItemsCount: 10_000 }],
    ['a negative count', { ...patron24, code: '64', holdItemsCount: -1 }],
    ['a fractional count', { ...patron24, code: '64', holdItemsCount: 1.5 }],
  ])('refuses to render %s (a malformed fixed part would shift every field after it)', (_name, message) => {
    const complete = { holdItems: [], overdueItems: [], chargedItems: [], fineItems: [], recallItems: [], unavailableHoldItems: [], ...message };
    expect(() => renderSip2Message(complete as unknown as Sip2Message)).toThrow(Sip2FormatError);
  });

  it.each([
    ['no sequence', undefined],
    ['a sequence of 10', 10],
    ['a negative sequence', -1],
  ])('refuses error detection with %s', (_name, ay) => {
    expect(() => renderSip2Message(patron24, { errorDetection: true, sequence: ay as Sip2Sequence })).toThrow(/sequence digit/);
  });

  it.each([
    ['UTF-8', 'utf-8', 'F44F'],
    ['Latin-1', 'latin1', 'F4D2'],
    ['CP850', 'cp850', 'F539'],
  ] as const)('a non-ASCII value in %s gets the checksum of section 8.1', (_name, encoding, checksum) => {
    const wire = renderSip2Message(
      { code: '36', endSession: true, transactionDate: '20240101    120000', institutionId: 'UWOLS', patronIdentifier: 'josé', screenMessages: [], printLines: [] },
      { errorDetection: true, sequence: 1, encoding },
    );
    expect(decodeBytes(withoutTerminator(wire), encoding)).toBe(`36Y20240101    120000AOUWOLS|AAjosé|AY1AZ${checksum}`);
    expect(encodeText('é', encoding).length).toBe(encoding === 'utf-8' ? 2 : 1);
  });
});
