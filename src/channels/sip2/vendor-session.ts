import type { CompiledContract } from '../../contracts/compiled-contract.ts';

/**
 * One vendor connection: who logged in, and the last answer (for 97, already minimized). Lives in
 * memory for the length of the connection; holds no patron value except inside that last answer.
 */
export interface VendorSession {
  /** The remote address, for the login throttle only (never logged). */
  readonly remote: string;
  /** Set by a successful 93. */
  vendor: CompiledContract | undefined;
  /** The bytes of the last answer, for a 97. */
  lastAnswer: Uint8Array | undefined;
}
