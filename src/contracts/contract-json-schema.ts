import * as z from 'zod';
import { contractSchema } from './contract-schema.ts';

/** The contract schema as JSON Schema text (what `vendors/schema.json` holds), for editors' completion and checks. */
export function renderContractJsonSchema(): string {
  const schema = z.toJSONSchema(contractSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Patron privacy gateway vendor contract' }, null, 2)}\n`;
}
