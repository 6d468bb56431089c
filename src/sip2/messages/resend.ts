import type { MessageSpec } from '../message-spec.ts';
import type { MessageBase } from './message-base.ts';

/** 97 Request ACS Resend: the receiver sends its last message again (reference 4.7). */
export interface RequestAcsResend extends MessageBase {
  readonly code: '97';
}

/** 96 Request SC Resend: sent when a received checksum is wrong. */
export interface RequestScResend extends MessageBase {
  readonly code: '96';
}

export const REQUEST_ACS_RESEND_SPEC: MessageSpec = { code: '97', name: 'request ACS resend', fixed: [], variable: [], sequenced: false };

export const REQUEST_SC_RESEND_SPEC: MessageSpec = { code: '96', name: 'request SC resend', fixed: [], variable: [], sequenced: false };
