// The graph of relative imports between a folder's modules (type-only imports included:
// they are layering too), and its circles.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// `import … from '…'`, `import type …`, `export … from '…'`, bare `import '…'` and `import('…')`.
const IMPORT = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;
const MODULE = /\.(?:ts|mts|mjs|js)$/;

export type ImportGraph = Map<string, string[]>;

/** Edges between the modules under `folder`, keyed by paths relative to `base`. */
export function importGraph(folder: string, base = folder): ImportGraph {
  const graph: ImportGraph = new Map();
  const files = (readdirSync(folder, { recursive: true }) as string[]).filter((f) => MODULE.test(f) && !f.endsWith('.d.ts')).map((f) => join(folder, f));
  for (const file of files) {
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:])\/\/.*$/gm, '$1');
    const targets = new Set<string>();
    for (const match of source.matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1] ?? match[2]!);
      if (!relative(folder, target).startsWith('..')) targets.add(relative(base, target));
    }
    graph.set(relative(base, file), [...targets].sort());
  }
  return graph;
}

/** Every circle a depth-first walk meets, each as the path that closes it (a → b → a). */
export function findCycles(graph: ImportGraph): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
