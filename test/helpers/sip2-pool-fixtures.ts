import { BLANK_SUMMARY, type PatronInformationRequest } from '../../src/sip2/messages/patron-information.ts';
import { createSip2Pool, type Sip2Pool } from '../../src/sip2/sip2-connection-pool.ts';
import { openSip2Connection } from '../../src/sip2/sip2-connection.ts';

/** What the SIP2 pool tests send and what their scripted ILS answers (the transcript patron). */
export const REQUEST: PatronInformationRequest = { code: '63', language: '000', transactionDate: '20261129   Z120000', summary: BLANK_SUMMARY, institutionId: 'UWOLS', patronIdentifier: 'djfiander', terminalPassword: '', patronPassword: '6789' };
export const ANSWER_64 = '64  Y           00020261129    061540000000000000000000000000AOUWOLS|AAdjfiander|AEDavid J. Fiander|BLY|CQY|';
export const STATUS_98 = '98YNNYNN60000320261129    0615402.00AOUWOLS|';

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The AY of a received line ('0' when it has none). */
export const sequenceOf = (line: string): string => /AY(\d)AZ/.exec(line)?.[1] ?? '0';
/** The value, or what was thrown: for asserting on either. */
export const settle = (promise: Promise<unknown>): Promise<unknown> => promise.then((value) => value, (caught: unknown) => caught);

/** A pool of `size` plain connections to a test server. */
export const poolTo = (target: { host: string; port: number }, size: number): Sip2Pool =>
  createSip2Pool({ size, open: (signal) => openSip2Connection({ host: target.host, port: target.port }, signal) });
