import { isAlias, isMap, isPair, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Problem } from './problem.ts';

/**
 * Bounds on a YAML text from outside the gateway (contracts, settings, patron files, a contract
 * pasted into the staff console). A small text must not become a large value: aliases (`*name`)
 * may at most double the document, never refer to themselves, and each anchor is used a bounded
 * number of times (yaml's own `maxAliasCount`).
 */
export interface YamlLimits {
  /** Largest text accepted, in UTF-8 bytes. */
  readonly maxBytes: number;
  /** yaml's `maxAliasCount`: uses of one anchor, times the aliases inside it. */
  readonly maxAliasCount: number;
}

/** Contracts and settings: hand-written files of a few kilobytes. */
export const SMALL_YAML_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxAliasCount: 100 };

/** Nodes that aliases may add beyond the document's own, whatever its size. */
const ALIAS_ALLOWANCE = 10_000;

/**
 * Parses YAML text, turning syntax errors (including duplicate keys), oversized texts and alias
 * bombs into problems with a line and column where there is one. Never throws. Values are never
 * quoted back: a patron file goes through here too.
 */
export function parseYamlFile(file: string, text: string, limits: YamlLimits = SMALL_YAML_LIMITS): { value?: unknown; problems: Problem[] } {
  const bytes = Buffer.byteLength(text);
  if (bytes > limits.maxBytes) {
    return { problems: [{ file, path: '', message: `is too large (more than ${limits.maxBytes} bytes)`, fix: 'check that this is the right file, and split or shorten it' }] };
  }
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
  const aliases = measureAliases(document);
  if (aliases !== 'bounded') return { problems: [aliasProblem(file, aliases)] };
  try {
    return { value: document.toJS({ maxAliasCount: limits.maxAliasCount }), problems: [] };
  } catch {
    return { problems: [aliasProblem(file, 'too large')] };
  }
}

function aliasProblem(file: string, why: 'too large' | 'circular'): Problem {
  return {
    file,
    path: '',
    message: why === 'circular' ? 'is not usable YAML (an alias refers to the value that contains it)' : 'is not usable YAML (its aliases, *name, expand to far more than the file holds)',
    fix: 'write the values out instead of repeating them with &anchors and *aliases',
  };
}

/**
 * Whether the aliases of a parsed document stay within bounds: the value's size with every alias
 * expanded, against the document's own node count. One pass in document order (an alias refers to
 * the last anchor of its name before it), each node's expanded size worked out once.
 */
function measureAliases(document: Document): 'bounded' | 'too large' | 'circular' {
  const anchors = new Map<string, Node>();
  const expanded = new Map<Node, number>();
  const open = new Set<Node>();
  let own = 0;
  let circular = false;
  const sizeOf = (node: unknown): number => {
    if (isPair(node)) return sizeOf(node.key) + sizeOf(node.value);
    if (isAlias(node)) {
      own += 1;
      const target = anchors.get(node.source);
      if (target === undefined) return 1;
      if (open.has(target)) circular = true;
      return expanded.get(target) ?? 1;
    }
    if (node === null || typeof node !== 'object') return 0;
    const value = node as Node;
    own += 1;
    if (value.anchor !== undefined) anchors.set(value.anchor, value);
    let size = 1;
    if (isMap(value) || isSeq(value)) {
      open.add(value);
      for (const item of value.items) size += sizeOf(item);
      open.delete(value);
    }
    expanded.set(value, size);
    return size;
  };
  let total: number;
  try {
    total = sizeOf(document.contents);
  } catch {
    // Nesting deep enough to exhaust the stack: the parser bounds it, so this is only a backstop.
    return 'too large';
  }
  if (circular) return 'circular';
  return total - own > Math.max(ALIAS_ALLOWANCE, own) ? 'too large' : 'bounded';
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
    case 'RESOURCE_EXHAUSTION':
      return 'nested too deeply';
    default:
      return code.toLowerCase().replace(/_/g, ' ');
  }
}
