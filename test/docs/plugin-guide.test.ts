// docs/writing-a-plugin.md is read by people who copy its code: every ```ts block must
// type-check as written (strict, as the repository is), placed where the guide says it
// lives (a plugin folder), and every ```json block must parse.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..', '..');
const guide = readFileSync(join(ROOT, 'docs', 'writing-a-plugin.md'), 'utf8');
const blocks = (lang: string) => [...guide.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

describe('docs/writing-a-plugin.md', () => {
  // A dot-folder inside plugins/: relative imports resolve as in a plugin's own folder, and
  // neither the test runner nor the registry looks at it.
  const dir = mkdtempSync(join(ROOT, 'plugins', '.guide-check-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has TypeScript blocks that compile with tsc --noEmit under the repository settings', { timeout: 180_000 }, async () => {
    const code = blocks('ts');
    assert.ok(code.length >= 4, 'the guide shows its plugins in ```ts blocks');
    code.forEach((text, i) => writeFileSync(join(dir, `block-${i + 1}.ts`), text));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts', '../../core/**/*.d.ts'] }));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await new Promise<{ status: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--noEmit'], { cwd: ROOT });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
      child.once('close', (status) => done({ status, output }));
    });
    assert.equal(result.status, 0, `the guide's code does not compile (block-N.ts is the guide's Nth \`\`\`ts block):\n${result.output}`);
  });

  it('has JSON blocks that parse', () => {
    for (const text of blocks('json')) assert.doesNotThrow(() => JSON.parse(text), text);
  });
});
