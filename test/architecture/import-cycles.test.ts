// core/ reads one way, downward: no module reaches back to one that imports it, not even
// for a type (a type-only circle still means neither side can be understood alone).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findCycles, importGraph } from '../support/import-graph.ts';

const CORE = join(import.meta.dirname, '..', '..', 'core');

describe('import graph of core/', () => {
  it('finds type-only, re-export, multi-line and dynamic imports, and the circles they make', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import type {\n  B,\n} from './b.ts';\n// import { z } from './z.ts';\nexport const a = 1;\n");
      writeFileSync(join(dir, 'b.ts'), "export { c } from './c.ts';\nexport type B = number;\n");
      writeFileSync(join(dir, 'c.ts'), "export const c = () => import('./a.ts');\nimport 'node:fs';\n");
      writeFileSync(join(dir, 'd.ts'), "import { a } from './a.ts';\n");
      const graph = importGraph(dir);
      assert.deepEqual(Object.fromEntries(graph), { 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] });
      assert.deepEqual(findCycles(graph), [['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no circle', () => {
    const graph = importGraph(CORE);
    assert.ok(graph.size > 100, `only ${graph.size} modules found under core/`);
    const cycles = findCycles(graph);
    assert.deepEqual(cycles.map((cycle) => cycle.join(' → ')), []);
  });
});
