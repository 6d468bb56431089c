import type { RawField } from './fields.ts';
import type { MessageBase } from './messages/message-base.ts';

/**
 * The first value of a field the message type does not define (PB, PC, XI, AQ...), or undefined.
 * What such a field means depends on the ILS (its dialect): the caller names the ID.
 */
export function readExtensionField(message: MessageBase, id: string): string | undefined {
  const found = (message.unknown ?? []).find((raw: RawField) => raw[0] === id);
  return found === undefined ? undefined : found[1];
}
