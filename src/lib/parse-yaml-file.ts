import { parseDocument } from 'yaml';
import type { Problem } from './problem.ts';

/**
 * Parses YAML text, turning syntax errors (including duplicate keys) into problems with a line
 * and column. Values are never quoted back: a patron file goes through here too.
 */
export function parseYamlFile(file: string, text: string): { value?: unknown; problems: Problem[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const document = parseDocument(source, { uniqueKeys: true, prettyErrors: true, schema: 'core' });
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => {
        const at = error.linePos?.[0];
        return {
          file,
          path: at ? `line ${at.line}, column ${at.col}` : '',
          message: `is not valid YAML (${describeYamlError(error.code)})`,
          fix: 'correct the YAML syntax at that place (indentation, colons, quotes)',
        };
      }),
    };
  }
  return { value: document.toJS({ maxAliasCount: 100 }), problems: [] };
}

function describeYamlError(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'a key appears twice';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'bad indentation or a missing character';
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation; use spaces';
    default:
      return code.toLowerCase().replace(/_/g, ' ');
  }
}
