import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseYamlFile, SMALL_YAML_LIMITS } from '../../../src/lib/parse-yaml-file.ts';
import { formatProblem } from '../../../src/lib/problem.ts';
import { billionLaughs, CIRCULAR_ALIAS, deepNesting, wideAnchor, YAML_CANARY } from '../../helpers/yaml-bombs.ts';

const ALIASES = /its aliases, \*name, expand to far more than the file holds/;

describe('parseYamlFile refuses texts that would become far larger than they are, with a problem and never a throw', () => {
  it.each([
    ['a billion-laughs alias bomb (exponential)', billionLaughs(), '', ALIASES],
    ['one large anchor repeated by many aliases (quadratic: each alias is used once, so a per-alias count alone misses it)', wideAnchor(), '', ALIASES],
    ['an alias inside the value it names (a circular value that would loop any reader)', CIRCULAR_ALIAS, '', /an alias refers to the value that contains it/],
    ['collections nested deeper than the stack', deepNesting(), /^line 1, column \d+$/, /is not valid YAML \(nested too deeply\)/],
    ['a text over the size limit', `note: "${YAML_CANARY}${'x'.repeat(SMALL_YAML_LIMITS.maxBytes)}"\n`, '', /^is too large \(more than 1048576 bytes\)$/],
    ['two documents in one file', `id: a\n---\nid: ${YAML_CANARY}\n`, 'line 2, column 1', /is not valid YAML \(multiple docs\)/],
    ['a key written twice', `id: a\nid: ${YAML_CANARY}\n`, 'line 2, column 1', /is not valid YAML \(a key appears twice\)/],
    ['a tab used to indent', `a:\n\tb: ${YAML_CANARY}\n`, 'line 2, column 1', /is not valid YAML \(a tab is used for indentation; use spaces\)/],
    ['a flow mapping left open', `a: { b: ${YAML_CANARY}\n`, 'line 2, column 1', /is not valid YAML \(bad indentation or a missing character\)/],
  ] as ReadonlyArray<readonly [string, string, string | RegExp, RegExp]>)('%s', (_name, text, path, message) => {
    const result = parseYamlFile('file.yaml', text);
    expect(result.value).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.file).toBe('file.yaml');
    if (typeof path === 'string') expect(result.problems[0]?.path).toBe(path);
    else expect(result.problems[0]?.path).toMatch(path);
    expect(result.problems[0]?.message).toMatch(message);
    expect(result.problems[0]?.fix).toMatch(/^(write the values out instead of repeating them with &anchors and \*aliases|correct the YAML syntax at that place \(indentation, colons, quotes\)|check that this is the right file, and split or shorten it)$/);
    expect(result.problems.map(formatProblem).join('\n')).not.toContain(YAML_CANARY);
  });

  it('counts the size in UTF-8 bytes, up to and including the limit', () => {
    const limits = { maxBytes: 13, maxAliasCount: 100 };
    expect(parseYamlFile('f.yaml', 'a: "éééé"', limits)).toEqual({ value: { a: 'éééé' }, problems: [] });
    expect(parseYamlFile('f.yaml', 'a: "éééé!"', limits).problems[0]?.message).toBe('is too large (more than 13 bytes)');
  });

  it('applies yaml\'s alias count: an anchor used more often than maxAliasCount is refused', () => {
    const text = `a: &a x\n${Array.from({ length: 5 }, (_, i) => `b${i}: *a`).join('\n')}\n`;
    expect(parseYamlFile('f.yaml', text, { maxBytes: 1000, maxAliasCount: 6 }).problems).toEqual([]);
    expect(parseYamlFile('f.yaml', text, { maxBytes: 1000, maxAliasCount: 5 }).problems[0]?.message).toMatch(ALIASES);
  });

  it('accepts ordinary aliases: a shared rule or list, used many times, that does not more than double the document', () => {
    const rules = `base: &r { action: pass, consent: share-a }\nfields:\n${Array.from({ length: 17 }, (_, i) => `  f${i}: *r`).join('\n')}\n`;
    const parsed = parseYamlFile('f.yaml', rules);
    expect(parsed.problems).toEqual([]);
    expect((parsed.value as { fields: Record<string, unknown> }).fields['f16']).toEqual({ action: 'pass', consent: 'share-a' });
    // 6000 uses of a 3-node list add 12,000 nodes: more than the fixed allowance, less than the document's own.
    const patrons = `std: &c [share-a, share-b]\nlist:\n${Array.from({ length: 6000 }, (_, i) => `  - { id: p${i}, consents: *c }`).join('\n')}\n`;
    const many = parseYamlFile('f.yaml', patrons, { maxBytes: 10_000_000, maxAliasCount: 1_000_000 });
    expect(many.problems).toEqual([]);
    expect((many.value as { list: unknown[] }).list).toHaveLength(6000);
  });

  it('allows up to 10,000 nodes from aliases in a small document, and not one more', () => {
    // The anchor is a list of 100 scalars (101 nodes); each use adds 100 beyond the alias itself,
    // and the document's own nodes (about 2 a use) stay below 10,000.
    const text = (uses: number) => `a: &a [${Array(100).fill('x').join(',')}]\n${Array.from({ length: uses }, (_, i) => `b${i}: *a`).join('\n')}\n`;
    const limits = { maxBytes: 1e7, maxAliasCount: 1e6 };
    expect(parseYamlFile('f.yaml', text(100), limits).problems).toEqual([]);
    expect(parseYamlFile('f.yaml', text(101), limits).problems[0]?.message).toMatch(ALIASES);
  });

  it('reads an empty document as null, and keys without values as null', () => {
    expect(parseYamlFile('f.yaml', '')).toEqual({ value: null, problems: [] });
    expect(parseYamlFile('f.yaml', '# only a comment\n')).toEqual({ value: null, problems: [] });
    expect(parseYamlFile('f.yaml', 'a:\nb: [~, null]\n')).toEqual({ value: { a: null, b: [null, null] }, problems: [] });
  });

  it('strips a byte-order mark and reads the core schema', () => {
    expect(parseYamlFile('f.yaml', '\uFEFFa: 1\nb: yes\n')).toEqual({ value: { a: 1, b: 'yes' }, problems: [] });
  });
});

describe('parseYamlFile (properties)', () => {
  test.prop([fc.jsonValue({ maxDepth: 4 })], { numRuns: 500 })('reads back any ordinary document as written: the limits refuse only what grows', (value) => {
    const parsed = parseYamlFile('f.yaml', stringify(value));
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual(value);
  });

  test.prop([fc.jsonValue({ maxDepth: 3 }), fc.integer({ min: 1, max: 40 })], { numRuns: 300 })('accepts one shared value used a few times, and expands it in every place', (shared, uses) => {
    const document = { shared, uses: Array.from({ length: uses }, () => shared) };
    const parsed = parseYamlFile('f.yaml', stringify(document, { aliasDuplicateObjects: true }));
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual(document);
  });
});

