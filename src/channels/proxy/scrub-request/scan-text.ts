import { decodeEntities } from '../../../policy/guard/decode-entities.ts';
import { decodeForScan, type PatronGuard } from '../../../policy/guard/patron-guard.ts';

/** A body after the guard: the bytes to send, how many patron values were found, and a new Content-Type if it changed. */
export interface ScannedBody {
  readonly body: Buffer;
  readonly found: number;
  readonly type?: string;
}

/**
 * Text as a vendor may read it: as is, then with HTML/XML character references and
 * percent-encoding undone (twice, `+` as a space). Values found as is are redacted in place;
 * values found only once decoded are redacted in the decoded text, which is what then leaves.
 */
export function scanText(text: string, guard: PatronGuard): { text: string; found: number } {
  const first = guard.redact(text);
  const decoded = decodeEntities(decodeForScan(decodeEntities(first.text)));
  if (decoded === first.text) return first;
  const second = guard.redact(decoded);
  return second.found === 0 ? first : { text: second.text, found: first.found + second.found };
}
