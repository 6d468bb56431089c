import type { Sip2Answer } from '../../minimize/build-sip2-answer.ts';
import { computeChecksum } from '../../sip2/checksum.ts';
import { encodeText } from '../../sip2/encoding.ts';
import { renderField } from '../../sip2/fields.ts';
import { parsePatronStatus } from '../../sip2/patron-status.ts';
import { renderSip2Body } from '../../sip2/render-message.ts';
import type { Sip2Sequence } from '../../sip2/sequence.ts';
import { formatSip2Date } from '../../sip2/sip2-date.ts';
import type { Sip2Message } from '../../sip2/sip2-message.ts';

/** The fields a 24 or 64 defines itself; every other answer field is a released extension (XI, PC...). */
const TYPED = new Set(['AO', 'AA', 'AE', 'BL', 'CQ', 'BH', 'BV']);

/**
 * The wire bytes of a minimized answer: the typed 24 or 64 (blank or zero counts, no lists, no
 * screen message), then the released extension fields, then `AY` (the vendor's) and a fresh `AZ`
 * when the vendor uses error detection, then CR.
 */
export function renderAnswer(answer: Sip2Answer, sequence: Sip2Sequence | undefined, errorDetection: boolean): Uint8Array {
  const field = new Map(answer.fields);
  const flag = (id: string): boolean | undefined => (field.has(id) ? field.get(id) === 'Y' : undefined);
  const common = {
    patronStatus: parsePatronStatus(answer.patronStatus),
    language: answer.language,
    transactionDate: formatSip2Date(answer.transactionDate.getTime()),
    institutionId: field.get('AO') ?? '',
    patronIdentifier: field.get('AA') ?? '',
    personalName: field.get('AE') ?? '',
    validPatron: flag('BL'),
    validPatronPassword: flag('CQ'),
    currencyType: field.get('BH'),
    feeAmount: field.get('BV'),
    screenMessages: [],
    printLines: [],
  };
  const count = answer.count === '0000' ? 0 : undefined;
  const message: Sip2Message =
    answer.code === '24'
      ? { code: '24', ...common }
      : {
          code: '64',
          ...common,
          holdItemsCount: count,
          overdueItemsCount: count,
          chargedItemsCount: count,
          fineItemsCount: count,
          recallItemsCount: count,
          unavailableHoldsCount: count,
          holdItems: [],
          overdueItems: [],
          chargedItems: [],
          fineItems: [],
          recallItems: [],
          unavailableHoldItems: [],
        };
  let text = renderSip2Body(message);
  for (const [id, value] of answer.fields) if (!TYPED.has(id)) text += renderField(id, value);
  return finish(text, sequence, errorDetection);
}

/** Appends the trailer (AY when there is a sequence, AZ) and CR to a rendered body. */
export function finish(text: string, sequence: Sip2Sequence | undefined, errorDetection: boolean): Uint8Array {
  if (!errorDetection) return encodeText(`${text}\r`, 'utf-8');
  const body = encodeText(`${text}${sequence === undefined ? '' : `AY${sequence}`}AZ`, 'utf-8');
  return Buffer.concat([body, Buffer.from(`${computeChecksum(body)}\r`, 'latin1')]);
}
