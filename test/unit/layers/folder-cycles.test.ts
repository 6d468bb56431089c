import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The folder a module belongs to: src/<folder>/..., or the top-level file itself (main, boot, app). */
function folderOf(path: string): string {
  const parts = path.split('/');
  return parts.length > 2 ? parts[1] ?? path : path;
}

/** Every cycle in a directed graph, as the list of nodes on it (Tarjan's strongly connected components of size > 1). */
function findCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) as number, indices.get(next) as number));
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return components;
}

describe('the layers of src/ (DESIGN.md, "Shape of the code")', () => {
  it('no two folders of src/ import each other, directly or around a loop (folder-level cycles hide layering mistakes that module-level checks miss)', async () => {
    const result = await cruise(['src'], { baseDir: ROOT, tsPreCompilationDeps: true, doNotFollow: { path: 'node_modules' } });
    const output = result.output;
    if (typeof output === 'string') throw new Error('dependency-cruiser returned text');
    const graph = new Map<string, Set<string>>();
    for (const module of output.modules) {
      if (!module.source.startsWith('src/')) continue;
      const from = folderOf(module.source);
      const targets = graph.get(from) ?? new Set<string>();
      graph.set(from, targets);
      for (const dependency of module.dependencies) {
        if (!dependency.resolved.startsWith('src/')) continue;
        const to = folderOf(dependency.resolved);
        if (to !== from) targets.add(to);
      }
    }
    expect(graph.size).toBeGreaterThan(10);
    expect(findCycles(graph)).toEqual([]);
  });

  it('the cycle finder finds a loop of three folders and ignores a chain (so the check above can fail)', () => {
    const loop = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(findCycles(loop)).toEqual([['a', 'b', 'c']]);
    expect(findCycles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])]]))).toEqual([]);
  });
});
