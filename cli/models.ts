// `hub models list|status|download|verify|smoke|remove|export`: the plugins' weight
// folders under <dataDir>/models, handled as the hub handles them (safe fetcher, sha256,
// atomic installs).
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { makeSafeFetcher } from '../core/net/safe-fetch.ts';
import { readLocalManifest } from '../core/onnx/local-manifest.ts';
import { removeRuntimeDebugLog } from '../core/onnx/runtime-debug-log.ts';
import { installSmokeWeights } from '../core/onnx/smoke-install.ts';
import { DownloadError } from '../core/onnx/weight-download.ts';
import { pullWeights } from '../core/onnx/weight-pull.ts';
import { verifyPlugin } from '../core/onnx/weight-verify.ts';
import type { LoadedPlugin } from '../core/registry/load-registry.ts';
import { modelContext, type ModelContext } from './context.ts';
import { EXIT, HubCallError, UsageError } from './exit.ts';
import { exportCommand } from './models-export.ts';
import { downloadProgress } from './progress.ts';
import { pullViaHub } from './pull-via-hub.ts';
import { mib, printJson, table } from './table.ts';

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

/** Where a plugin's files came from, in words. */
function sourceOf(ctx: ModelContext, plugin: LoadedPlugin, state: string): string {
  if (plugin.decl.weightFree) return 'built in (no weights)';
  const local = readLocalManifest(ctx.weights.dir(plugin));
  if (local && state !== 'missing') return local.source;
  if (state === 'smoke') return 'smoke graphs generated from the contract';
  const urls = ctx.weights.files(plugin).flatMap((f) => (f.url ? [new URL(f.url).host] : []));
  return urls.length ? `registry: ${[...new Set(urls)].join(', ')}` : 'no registry source (hub models export, or --from)';
}

function describe(ctx: ModelContext, plugin: LoadedPlugin) {
  const state = ctx.weights.state(plugin);
  return {
    plugin: plugin.decl.name,
    task: plugin.decl.task,
    state,
    bytes: plugin.decl.weightFree ? 0 : ctx.weights.sizeOnDisk(plugin),
    license: plugin.decl.license,
    source: sourceOf(ctx, plugin, state),
    problem: state === 'missing' ? (ctx.weights.unusable(plugin)?.message ?? '') : '',
  };
}

export function modelsCommand(program: Command): void {
  const models = program.command('models').description("the plugins' weights: state, download, verify, smoke graphs, export from a checkpoint");

  models
    .command('list')
    .description('every plugin: weight state, size on disk, licence, where its files came from')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const ctx = await modelContext();
      const rows = ctx.plugins.map((p) => describe(ctx, p));
      if (o.json) return printJson(rows);
      console.log(table([['PLUGIN', 'STATE', 'SIZE', 'LICENCE', 'SOURCE', 'PROBLEM'], ...rows.map((r) => [r.plugin, r.state, r.state === 'weight-free' ? '-' : mib(r.bytes), clip(r.license, 32), r.source, r.problem])]));
      console.log(`\nweights folder: ${ctx.weights.root}`);
    });

  models
    .command('status')
    .description('one plugin file by file: size, pinned sha256, where it comes from')
    .argument('[plugins...]', 'plugins (default: all that need weights)')
    .option('--json', 'print JSON')
    .action(async (names: string[], o: { json?: boolean }) => {
      const ctx = await modelContext();
      const report = ctx.chosen(names, { required: false }).map((plugin) => {
        const local = readLocalManifest(ctx.weights.dir(plugin))?.files ?? {};
        const missing = new Set(ctx.weights.missingFiles(plugin));
        const files = ctx.weights.files(plugin).map((f) => ({ path: f.path, present: !missing.has(f.path), size: f.size ?? local[f.path]?.size, sha256: f.sha256 ?? local[f.path]?.sha256, url: f.url }));
        return { ...describe(ctx, plugin), folder: ctx.weights.dir(plugin), files };
      });
      if (o.json) return printJson(report);
      for (const r of report) {
        console.log(`${r.plugin} (${r.task}): ${r.state}, ${mib(r.bytes)} in ${r.folder}\n  source: ${r.source}${r.problem ? `\n  problem: ${r.problem}` : ''}`);
        for (const f of r.files) console.log(`  ${f.present ? 'present' : 'MISSING'}  ${f.path}  ${f.size === undefined ? '' : mib(f.size)}  ${f.sha256 ? `sha256 ${f.sha256.slice(0, 12)}…` : 'no sha256 pinned'}`);
      }
    });

  models
    .command('download')
    .alias('pull')
    .description('fetch weights: resumable, sha256-checked, installed atomically')
    .argument('[plugins...]', 'plugins to fetch')
    .option('--all', 'every plugin that needs weights')
    .option('--from <dir|url>', 'a folder or base URL instead of the registry URLs')
    .option('--hub <url>', 'run the download as a task of the running hub at <url> (admin key in HUB_API_KEY)')
    .action(async (names: string[], o: { all?: boolean; from?: string; hub?: string }) => {
      const ctx = await modelContext();
      const chosen = ctx.chosen(names, { all: o.all, required: true });
      let failed = 0;
      for (const plugin of chosen) {
        const name = plugin.decl.name;
        const progress = downloadProgress(name);
        try {
          if (o.hub !== undefined) {
            const key = process.env.HUB_API_KEY;
            if (!key) throw new UsageError('--hub needs an admin key in the environment variable HUB_API_KEY (create one with: hub keys create --name ops --role admin)');
            const state = await pullViaHub(o.hub, name, { from: o.from, key, onTick: (t) => progress.tick(t) });
            progress.stop();
            console.log(`${name}: ${state} (a task of ${o.hub})`);
          } else {
            // The same fetcher as the hub's: loopback and private mirrors need `fetch.allow` in the config.
            const result = await pullWeights(ctx.weights, plugin, { from: o.from, fetcher: makeSafeFetcher(ctx.config.fetch), retries: ctx.config.downloads.retries, onTick: (t) => progress.tick(t) });
            progress.stop();
            console.log(`${name}: ${ctx.weights.state(plugin)} (fetched ${result.fetched.length}, already in place ${result.skipped.length})`);
          }
        } catch (error) {
          progress.stop();
          if (!(error instanceof DownloadError || error instanceof HubCallError || error instanceof TypeError)) throw error;
          console.error(`${name}: ${error.message}`);
          failed++;
        }
      }
      if (failed) process.exitCode = EXIT.failed;
    });

  models
    .command('verify')
    .description('re-hash files against their sha256 and open every graph against its contract')
    .argument('[plugins...]', 'plugins (default: all that need weights)')
    .option('--json', 'print JSON')
    .action(async (names: string[], o: { json?: boolean }) => {
      const ctx = await modelContext();
      const reports = [];
      for (const plugin of ctx.chosen(names, { required: false })) reports.push(await verifyPlugin(ctx.weights, plugin));
      removeRuntimeDebugLog(); // sessions opened on this thread
      if (reports.some((r) => r.problems.length)) process.exitCode = EXIT.failed;
      if (o.json) return printJson(reports);
      for (const r of reports) {
        if (r.problems.length === 0) console.log(`${r.plugin}: ok (${r.state})`);
        else console.log(`${r.plugin}: ${r.problems.length} problem(s)\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
      }
    });

  models
    .command('smoke')
    .description('write smoke graphs generated from the contracts, so routes run end to end without downloads (meaningless audio)')
    .argument('[plugins...]', 'plugins')
    .option('--all', 'every plugin that needs weights')
    .option('--force', 'overwrite real weights')
    .action(async (names: string[], o: { all?: boolean; force?: boolean }) => {
      const ctx = await modelContext();
      let failed = 0;
      for (const plugin of ctx.chosen(names, { all: o.all, required: true })) {
        if (plugin.decl.weightFree) {
          console.log(`${plugin.decl.name}: weight-free, nothing to do`);
          continue;
        }
        try {
          const result = installSmokeWeights(ctx.weights.dir(plugin), plugin, { force: o.force });
          const bytes = result.files.reduce((sum, f) => sum + f.size, 0);
          console.log(`${plugin.decl.name}: ${ctx.weights.state(plugin)} (${result.files.length} graph(s), ${(bytes / 1024).toFixed(1)} KiB)`);
        } catch (error) {
          console.error((error as Error).message);
          failed++;
        }
      }
      if (failed) process.exitCode = EXIT.failed;
    });

  models
    .command('remove')
    .description("delete plugins' weight folders")
    .argument('<plugins...>', 'plugins')
    .action(async (names: string[]) => {
      const ctx = await modelContext();
      for (const plugin of ctx.chosen(names, { required: true })) {
        rmSync(ctx.weights.dir(plugin), { recursive: true, force: true });
        console.log(`${plugin.decl.name}: removed ${ctx.weights.dir(plugin)}`);
      }
    });

  exportCommand(models);
}
