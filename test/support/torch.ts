// What the fidelity tests need from Debian's python3-torch: the interpreter that has it, and
// the rule for its absence — skip with the reason printed, except under CI, where the
// packages are installed by .ci/run and a missing one is a failure, not a skip.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** Debian's interpreter: a pyenv `python3` earlier on PATH has no torch. */
export const PYTHON = process.env.HUB_TORCH_PYTHON ?? '/usr/bin/python3';
const ROOT = new URL('../..', import.meta.url).pathname;

let probe: string | null | undefined;
/** null when torch imports, else why not. */
export function torchMissing(): string | null {
  if (probe === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
    probe = r.error ? `${PYTHON}: ${r.error.message}` : r.status === 0 ? null : `${PYTHON} cannot import torch/numpy: ${r.stderr.trim().split('\n').pop()}`;
  }
  return probe;
}

/** Skips the test (printing why) when torch is absent; under CI that throws instead. */
export function needTorch(t: TestContext): boolean {
  const missing = torchMissing();
  if (!missing) return true;
  if (process.env.CI) throw new Error(`CI is set but python3-torch is missing: ${missing} (.ci/run installs it)`);
  console.log(`# skipped: ${missing}`);
  t.skip(missing);
  return false;
}

export interface RecipeRun {
  readonly output: string;
  readonly seconds: number;
}

/** Runs an export recipe (a path under the repository) with `args` and `--out <scratch>`;
 * rejects with the recipe's output when it exits non-zero. The scratch folder is removed. */
export async function runRecipe(script: string, args: readonly string[]): Promise<RecipeRun> {
  const out = mkdtempSync(join(tmpdir(), 'hub-export-'));
  const started = performance.now();
  try {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(PYTHON, [join(ROOT, script), ...args, '--out', out], { cwd: ROOT, env: { ...process.env, PYTHONWARNINGS: 'ignore' } });
      let output = '';
      child.stdout.on('data', (b: Buffer) => (output += b.toString()));
      child.stderr.on('data', (b: Buffer) => (output += b.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
    if (code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${code}:\n${output}`);
    return { output, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The largest `max |onnx - torch| = x` the checks printed (they fail above their tolerance). */
export function worstDifference(output: string): number {
  const found = [...output.matchAll(/max \|onnx - torch\| = ([0-9.e+-]+)/g)].map((m) => Number(m[1]));
  if (found.length === 0) throw new Error(`no comparison with torch in the output:\n${output}`);
  return Math.max(...found);
}
