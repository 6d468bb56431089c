import type { MessageSpec } from './message-spec.ts';
import { BLOCK_PATRON_SPEC, type BlockPatron } from './messages/block-patron.ts';
import { END_PATRON_SESSION_SPEC, END_SESSION_RESPONSE_SPEC, type EndPatronSession, type EndSessionResponse } from './messages/end-session.ts';
import { LOGIN_REQUEST_SPEC, LOGIN_RESPONSE_SPEC, type LoginRequest, type LoginResponse } from './messages/login.ts';
import {
  PATRON_INFORMATION_REQUEST_SPEC,
  PATRON_INFORMATION_RESPONSE_SPEC,
  type PatronInformationRequest,
  type PatronInformationResponse,
} from './messages/patron-information.ts';
import {
  PATRON_STATUS_REQUEST_SPEC,
  PATRON_STATUS_RESPONSE_SPEC,
  type PatronStatusRequest,
  type PatronStatusResponse,
} from './messages/patron-status-messages.ts';
import { REQUEST_ACS_RESEND_SPEC, REQUEST_SC_RESEND_SPEC, type RequestAcsResend, type RequestScResend } from './messages/resend.ts';
import { ACS_STATUS_SPEC, type AcsStatus, SC_STATUS_SPEC, type ScStatus } from './messages/status.ts';

/** Every SIP2 message the codec parses and renders, by its code. */
export type Sip2Message =
  | LoginRequest
  | LoginResponse
  | ScStatus
  | AcsStatus
  | PatronStatusRequest
  | PatronStatusResponse
  | PatronInformationRequest
  | PatronInformationResponse
  | EndPatronSession
  | EndSessionResponse
  | BlockPatron
  | RequestAcsResend
  | RequestScResend;

export type Sip2MessageCode = Sip2Message['code'];

/** The message of a given code. */
export type Sip2MessageOf<Code extends Sip2MessageCode> = Extract<Sip2Message, { code: Code }>;

/** The layout of every supported message, by code. */
export const MESSAGE_SPECS: Readonly<Record<Sip2MessageCode, MessageSpec>> = {
  '93': LOGIN_REQUEST_SPEC,
  '94': LOGIN_RESPONSE_SPEC,
  '99': SC_STATUS_SPEC,
  '98': ACS_STATUS_SPEC,
  '23': PATRON_STATUS_REQUEST_SPEC,
  '24': PATRON_STATUS_RESPONSE_SPEC,
  '63': PATRON_INFORMATION_REQUEST_SPEC,
  '64': PATRON_INFORMATION_RESPONSE_SPEC,
  '35': END_PATRON_SESSION_SPEC,
  '36': END_SESSION_RESPONSE_SPEC,
  '01': BLOCK_PATRON_SPEC,
  '97': REQUEST_ACS_RESEND_SPEC,
  '96': REQUEST_SC_RESEND_SPEC,
};

/** Whether `code` is a message the codec supports. */
export function isSupportedCode(code: string): code is Sip2MessageCode {
  return Object.hasOwn(MESSAGE_SPECS, code);
}
