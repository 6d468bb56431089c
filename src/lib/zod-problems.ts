import type * as z from 'zod';
import { joinPath, listChoices, type Problem } from './problem.ts';
import { suggestName } from './suggest-name.ts';

export interface ConvertOptions {
  /**
   * Quote a bad value back when it looks like a name (an enum choice such as an action). Only for
   * files without patron data or secrets (settings, contracts); parse with `reportInput: true`.
   */
  readonly quoteValues?: boolean;
}

const NAME_LIKE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Turns zod's issues into problems with a path, a message and a fix. Values from the file are
 * never echoed (a patron file goes through here too); only key names and expected types are.
 */
export function convertZodIssues(file: string, schema: z.ZodType, issues: ReadonlyArray<z.core.$ZodIssue>, options: ConvertOptions = {}): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = joinPath(issue.path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = allowedKeysAt(schema, issue.path);
        for (const key of issue.keys) {
          const suggestion = suggestName(key, allowed);
          problems.push({
            file,
            path: joinPath([...issue.path, key]),
            message: `unknown key "${key}"`,
            fix:
              suggestion !== undefined
                ? `did you mean "${suggestion}"? Correct the spelling; allowed keys here: ${allowed.join(', ')}`
                : allowed.length > 0
                  ? `remove it or correct its spelling; allowed keys here: ${allowed.join(', ')}`
                  : 'remove it',
          });
        }
        break;
      }
      case 'invalid_value': {
        const choices = issue.values.map(String);
        const quoted = options.quoteValues === true && typeof issue.input === 'string' && NAME_LIKE.test(issue.input) ? issue.input : undefined;
        const suggestion = quoted === undefined ? undefined : suggestName(quoted, choices);
        problems.push({
          file,
          path,
          message: quoted === undefined ? 'is not one of the allowed values' : `"${quoted}" is not one of the allowed values`,
          fix: suggestion === undefined ? `use ${listChoices(choices)}` : `did you mean "${suggestion}"? Use ${listChoices(choices)}`,
        });
        break;
      }
      case 'invalid_type':
        problems.push({
          file,
          path,
          message: issue.input === undefined ? 'is required but missing' : `must be ${describeExpected(issue.expected)}`,
          fix: issue.input === undefined ? `add ${path || 'it'} (${describeExpected(issue.expected)})` : `write ${describeExpected(issue.expected)} here`,
        });
        break;
      case 'too_small':
        problems.push({
          file,
          path,
          message: `is too small (${issue.origin === 'array' || issue.origin === 'string' ? 'length ' : ''}minimum ${String(issue.minimum)})`,
          fix: `use ${String(issue.minimum)} or more`,
        });
        break;
      case 'too_big':
        problems.push({
          file,
          path,
          message: `is too large (maximum ${String(issue.maximum)})`,
          fix: `use ${String(issue.maximum)} or less`,
        });
        break;
      case 'invalid_format':
        problems.push({ file, path, message: `is not in the expected format (${issue.format})`, fix: formatHint(issue.format, issue.message) });
        break;
      case 'custom':
        // Our own refinements are written "what is wrong; how to fix it".
        problems.push({ file, path, message: issue.message.split('; ')[0] ?? issue.message, fix: issue.message.split('; ')[1] ?? 'see the README for this key' });
        break;
      default:
        problems.push({ file, path, message: issue.message, fix: 'see the README for this key' });
    }
  }
  return problems;
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping (key: value lines)';
    default:
      return expected;
  }
}

function formatHint(format: string, message: string): string {
  if (format === 'regex') return message.replace(/^Invalid string: /, '');
  if (format === 'url') return 'write a full URL such as https://vendor.example/path';
  return `write a valid ${format}`;
}

/** The keys a strict object at `path` accepts, found by walking the schema. */
function allowedKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let node: unknown = schema;
  for (const segment of path) {
    node = unwrap(node);
    const def = (node as { def?: Record<string, unknown> }).def;
    if (!def) return [];
    if (def['type'] === 'object') node = (def['shape'] as Record<string, unknown>)[String(segment)];
    else if (def['type'] === 'record') node = def['valueType'];
    else if (def['type'] === 'array') node = def['element'];
    else return [];
  }
  node = unwrap(node);
  const def = (node as { def?: Record<string, unknown> } | undefined)?.def;
  return def?.['type'] === 'object' ? Object.keys(def['shape'] as object) : [];
}

function unwrap(node: unknown): unknown {
  let current = node as { def?: Record<string, unknown> } | undefined;
  for (let i = 0; i < 10 && current?.def; i++) {
    const t = current.def['type'];
    if (t === 'optional' || t === 'default' || t === 'nullable' || t === 'readonly' || t === 'prefault') {
      current = current.def['innerType'] as typeof current;
    } else if (t === 'pipe') {
      current = current.def['in'] as typeof current;
    } else break;
  }
  return current;
}
