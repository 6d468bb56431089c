import { UNKNOWN_LANGUAGE } from './languages.ts';
import { BLANK_SUMMARY, type PatronInformationResponse } from './messages/patron-information.ts';
import type { Sip2Pool } from './sip2-connection-pool.ts';
import { formatSip2Date } from './sip2-date.ts';

/**
 * The one question the gateway asks an ILS, for sign-in and for the mediator alike: a 63 with a
 * blank summary (no item lists), the gateway's own institution and an empty terminal password, the
 * card and, when there is one, the PIN; nothing else. Answers the 64, or throws what the pool
 * throws (a Sip2ClientError for every fault of the ILS or the connection).
 */
export async function requestPatronInformation(
  pool: Sip2Pool,
  request: { readonly institution: string; readonly barcode: string; readonly pin: string | undefined; readonly now: number; readonly timeoutMs: number },
): Promise<PatronInformationResponse> {
  // A timer cleared as soon as the ILS answers: AbortSignal.timeout would keep every lookup's
  // signal and timer alive for the whole timeout (tens of thousands under load).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
  try {
    return await pool.exchange(
      {
        code: '63',
        language: UNKNOWN_LANGUAGE,
        transactionDate: formatSip2Date(request.now),
        summary: BLANK_SUMMARY,
        institutionId: request.institution,
        patronIdentifier: request.barcode,
        terminalPassword: '',
        ...(request.pin === undefined ? {} : { patronPassword: request.pin }),
      },
      '64',
      deadline.signal,
    );
  } finally {
    clearTimeout(timer);
  }
}
