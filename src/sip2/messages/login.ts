import { field, type MessageSpec, text } from '../message-spec.ts';
import type { MessageBase } from './message-base.ts';

/** 93 Login (reference 4.1). */
export interface LoginRequest extends MessageBase {
  readonly code: '93';
  /** `0`: not encrypted, the only value in real use. */
  readonly uidAlgorithm: string;
  readonly pwdAlgorithm: string;
  /** CN */
  readonly loginUserId: string;
  /** CO */
  readonly loginPassword: string;
  /** CP */
  readonly locationCode?: string | undefined;
}

/** 94 Login Response. */
export interface LoginResponse extends MessageBase {
  readonly code: '94';
  readonly ok: boolean;
}

export const LOGIN_REQUEST_SPEC: MessageSpec = {
  code: '93',
  name: 'login',
  fixed: [text('uidAlgorithm', 1), text('pwdAlgorithm', 1)],
  variable: [field('CN', 'loginUserId', true), field('CO', 'loginPassword', true), field('CP', 'locationCode')],
  sequenced: true,
};

export const LOGIN_RESPONSE_SPEC: MessageSpec = {
  code: '94',
  name: 'login response',
  fixed: [{ name: 'ok', kind: 'one-zero', length: 1 }],
  variable: [],
  sequenced: true,
};
