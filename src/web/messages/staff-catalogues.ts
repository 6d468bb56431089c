import type { Messages } from './messages.ts';
import type { StaffMessages } from './staff-messages.ts';
import { staffEn } from './staff-en.ts';
import { staffEs } from './staff-es.ts';

/** The staff console's catalogue for every language the patron pages ship (en, es). */
export const STAFF_CATALOGUES: ReadonlyMap<string, StaffMessages> = new Map([
  ['en', staffEn],
  ['es', staffEs],
]);

/** The staff console's text in the language chosen for the page (English when a catalogue is missing). */
export function chooseStaffMessages(m: Pick<Messages, 'lang'>): StaffMessages {
  return STAFF_CATALOGUES.get(m.lang) ?? staffEn;
}
