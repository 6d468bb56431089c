import type * as z from 'zod';
import type { Problem } from '../lib/problem.ts';
import { convertZodIssues } from '../lib/zod-problems.ts';
import { contractSchema, fieldRuleSchema, type ContractDocument } from './contract-schema.ts';

/** A contract document checked section by section against the schema. */
export interface ContractSections {
  /** Every top-level section that matched the schema (defaults filled in); `fields` holds every rule that matched. */
  readonly document: Partial<ContractDocument>;
  /** Sections that did not match (for `fields`: one rule or more did not); checks that need them are skipped. */
  readonly failed: ReadonlySet<string>;
  /** Schema problems of every section and every field rule, unknown keys included. */
  readonly problems: ReadonlyArray<Problem>;
}

type Section = keyof ContractDocument;
const SECTIONS = Object.keys(contractSchema.shape) as Section[];
const PARSE_OPTIONS = { reportInput: true } as const;

/**
 * Runs the contract schema on each top-level section, and on each field rule, on its own: a
 * mistake in one part never hides the mistakes of another, and every rule that matched can still
 * be checked for meaning (see checkContractParts). A valid document parses exactly as
 * `contractSchema` would parse it whole.
 */
export function parseContractSections(file: string, raw: Readonly<Record<string, unknown>>): ContractSections {
  const issues: z.core.$ZodIssue[] = [];
  const document: Record<string, unknown> = {};
  const failed = new Set<string>();
  const unknown = Object.keys(raw).filter((key) => !(SECTIONS as string[]).includes(key));
  if (unknown.length > 0) issues.push({ code: 'unrecognized_keys', keys: unknown, path: [], message: 'unknown keys', input: raw });

  for (const section of SECTIONS) {
    if (section === 'fields') continue;
    const result = contractSchema.shape[section].safeParse(raw[section], PARSE_OPTIONS);
    if (result.success) document[section] = result.data;
    else {
      failed.add(section);
      issues.push(...result.error.issues.map((issue) => ({ ...issue, path: [section, ...issue.path] })));
    }
  }

  const fields = raw['fields'];
  const rules: Record<string, unknown> = {};
  if (fields === undefined || fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    const result = contractSchema.shape.fields.safeParse(fields, PARSE_OPTIONS);
    if (!result.success) {
      failed.add('fields');
      issues.push(...result.error.issues.map((issue) => ({ ...issue, path: ['fields', ...issue.path] })));
    }
  } else {
    for (const [field, rule] of Object.entries(fields)) {
      const result = fieldRuleSchema.safeParse(rule, PARSE_OPTIONS);
      if (result.success) rules[field] = result.data;
      else {
        failed.add('fields');
        issues.push(...result.error.issues.map((issue) => ({ ...issue, path: ['fields', field, ...issue.path] })));
      }
    }
  }
  document['fields'] = rules;

  return {
    document: document as Partial<ContractDocument>,
    failed,
    problems: convertZodIssues(file, contractSchema, issues, { quoteValues: true }),
  };
}
