// `hub models export <plugin> --checkpoint <folder>`: from a trained checkpoint to installed
// graphs in one command. Runs the plugin's recipe (`export/export.py`, called with
// `--checkpoint <folder> --out <staging>`) with the system Python, checks every graph it
// wrote against the plugin's contract with one run, records each file's sha256 and size in
// the folder's local manifest, and only then swaps the folder in: a failed export leaves
// the installed weights as they were.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkGraphFile } from '../core/onnx/contract-run.ts';
import { LOCAL_MANIFEST, writeLocalManifest } from '../core/onnx/local-manifest.ts';
import { removeRuntimeDebugLog } from '../core/onnx/runtime-debug-log.ts';
import { sha256Of } from '../core/onnx/weight-pull.ts';
import { modelContext } from './context.ts';
import { EXIT, UsageError } from './exit.ts';
import { mib } from './table.ts';

/** Debian's interpreter has python3-torch; a pyenv or venv `python3` on PATH usually does not. */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** The Debian package that provides each Python module export recipes import. */
const DEBIAN_PACKAGE: Readonly<Record<string, string>> = {
  torch: 'python3-torch',
  torchaudio: 'python3-torchaudio',
  numpy: 'python3-numpy',
  scipy: 'python3-scipy',
  onnx: 'python3-onnx',
  yaml: 'python3-yaml',
  librosa: 'python3-librosa',
  soundfile: 'python3-soundfile',
};

export class ExportFailed extends Error {}

function missingModuleHint(output: string, python: string): string | undefined {
  const module = /ModuleNotFoundError: No module named '([\w.]+)'/.exec(output)?.[1]?.split('.')[0];
  if (!module) return undefined;
  const debian = DEBIAN_PACKAGE[module];
  return (
    `${python} cannot import the Python package '${module}'` +
    (debian ? `; install the Debian package ${debian} (apt-get install ${debian})` : '') +
    `, or point HUB_TORCH_PYTHON at an interpreter that has it`
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

function runRecipe(python: string, recipe: string, args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(python, [recipe, ...args], { cwd, env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } });
    let output = '';
    const forward = (chunk: Buffer) => {
      output += chunk;
      process.stderr.write(chunk); // the recipe's own progress lines
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

export function exportCommand(models: Command): void {
  models
    .command('export')
    .description("run the plugin's export recipe on a checkpoint folder, check the graphs against the contract, install them atomically")
    .argument('<plugin>', 'the plugin whose graphs to export')
    .requiredOption('--checkpoint <folder>', 'the trained checkpoint (for the vocoders: the generator file and its config.json)')
    .option('--force', 'replace weights that are installed (not smoke graphs)')
    .action(async (name: string, o: { checkpoint: string; force?: boolean }) => {
      const ctx = await modelContext();
      const [plugin] = ctx.chosen([name], { required: true });
      if (!plugin) return;
      const recipe = plugin.dir ? join(plugin.dir, 'export', 'export.py') : undefined;
      if (plugin.decl.weightFree || !recipe || !existsSync(recipe)) throw new UsageError(`plugin '${name}' has no export recipe (looked for ${recipe ?? 'a plugin folder'}); see its EXPORT.md`);
      const checkpoint = resolve(o.checkpoint);
      if (!statSync(checkpoint, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--checkpoint ${o.checkpoint}: not a folder`);
      const target = ctx.weights.dir(plugin);
      const state = ctx.weights.state(plugin);
      if ((state === 'installed' || state === 'unverified') && !o.force) throw new UsageError(`plugin '${name}' already has ${state} weights in ${target}; pass --force to replace them`);

      const python = process.env.HUB_TORCH_PYTHON ?? DEFAULT_PYTHON;
      const probe = spawnSync(python, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
      if (probe.error) throw new ExportFailed(`cannot run ${python} (${probe.error.message}); install Debian's python3 with python3-torch, or set HUB_TORCH_PYTHON`);
      if (probe.status !== 0) throw new ExportFailed(missingModuleHint(probe.stderr, python) ?? `${python} cannot import torch and numpy: ${probe.stderr.trim().split('\n').pop()}`);

      // Staged beside the target, so the final step is a rename on one file system.
      const staging = join(dirname(target), `.export-${name}-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      try {
        process.stderr.write(`${name}: 1/3 running ${relative(ctx.config.rootDir, recipe)} on ${checkpoint}\n`);
        const run = await runRecipe(python, recipe, ['--checkpoint', checkpoint, '--out', staging], dirname(recipe));
        if (run.code !== 0) throw new ExportFailed(missingModuleHint(run.output, python) ?? `the export recipe exited with code ${run.code}; its output is above`);

        process.stderr.write(`${name}: 2/3 checking every graph against the contract with one run\n`);
        const problems: string[] = [];
        for (const [graph, contract] of Object.entries(plugin.decl.graphs ?? {})) {
          const path = join(staging, contract.file);
          if (!existsSync(path)) problems.push(`graph '${graph}': the recipe wrote no ${contract.file}`);
          else problems.push(...(await checkGraphFile(contract, path)).map((p) => `graph '${graph}': ${p}`));
        }
        removeRuntimeDebugLog(); // sessions opened on this thread
        if (problems.length) throw new ExportFailed(`the exported graphs break the plugin's contract; nothing was installed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

        process.stderr.write(`${name}: 3/3 recording sha256 and installing into ${target}\n`);
        const files: Record<string, { sha256: string; size: number }> = {};
        for (const file of filesUnder(staging)) files[file] = { sha256: await sha256Of(join(staging, file)), size: statSync(join(staging, file)).size };
        writeLocalManifest(staging, { source: `exported from ${checkpoint} by ${relative(ctx.config.rootDir, recipe)}`, createdAt: new Date().toISOString(), files });
        const previous = `${staging}.previous`;
        if (existsSync(target)) renameSync(target, previous);
        renameSync(staging, target);
        rmSync(previous, { recursive: true, force: true });
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
      const total = filesUnder(target).filter((f) => f !== LOCAL_MANIFEST).reduce((sum, f) => sum + statSync(join(target, f)).size, 0);
      console.log(`${name}: ${ctx.weights.state(plugin)} (${Object.keys(plugin.decl.graphs ?? {}).length} graph(s) exported, ${mib(total)}; sha256 of each file in ${join(target, LOCAL_MANIFEST)})`);
      process.exitCode = EXIT.ok;
    });
}
