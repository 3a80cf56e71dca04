// `npm run weights -- <command>`: the plugins' weight folders under <dataDir>/models
// (HUB_DATA_DIR, HUB_REGISTRY, HUB_CONFIG as for the hub).
//
//   list                                 every plugin: state, size on disk, what is missing
//   pull <plugin...>|--all [--from <dir|url>]   download through the hub's safe fetcher:
//                                        resumable, sha256-checked, atomic
//   pull ... --hub <url>                 the same, as a task of the running hub at <url>
//                                        (key in HUB_API_KEY), followed until it ends
//   verify [plugin...]                   re-hash against the registry, check graph contracts
//   remove <plugin...>                   delete a plugin's weight folder
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config/load-config.ts';
import { usePrivateUmask } from '../core/store/private-files.ts';
import { makeSafeFetcher } from '../core/net/safe-fetch.ts';
import { DownloadError, type DownloadTick } from '../core/onnx/weight-download.ts';
import { makeWeightInspector } from '../core/onnx/weight-inspector.ts';
import { pullWeights } from '../core/onnx/weight-pull.ts';
import { verifyPlugin } from '../core/onnx/weight-verify.ts';
import { removeRuntimeDebugLog } from '../core/onnx/runtime-debug-log.ts';
import { HubError, pullViaHub } from './weights-via-hub.ts';
import { loadPlugins, type LoadedPlugin } from '../core/registry/load-registry.ts';

const USAGE = `usage: npm run weights -- <command>
  list
  pull <plugin...>|--all [--from <dir|url>] [--hub <url>]   (--hub: key in HUB_API_KEY)
  verify [plugin...]
  remove <plugin...>`;

class UsageError extends Error {}

const mb = (bytes: number) => (bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** A progress bar on a terminal; one line per finished file otherwise. */
function progressPrinter(plugin: string): (tick: DownloadTick) => void {
  const tty = process.stderr.isTTY;
  let lastFile = '';
  return (tick) => {
    if (tty) {
      const fraction = tick.total > 0 ? Math.min(1, tick.bytes / tick.total) : 0;
      const bar = '#'.repeat(Math.round(fraction * 30)).padEnd(30, '.');
      const line = `${plugin} [${bar}] ${(fraction * 100).toFixed(1).padStart(5)}% ${mb(tick.bytes)}/${mb(tick.total)} ${tick.phase === 'verifying' ? 'verifying ' : ''}${tick.file}`;
      process.stderr.write(`\r${line.slice(0, (process.stderr.columns ?? 120) - 1).padEnd(Math.min(line.length + 8, (process.stderr.columns ?? 120) - 1))}`);
    } else if (tick.phase === 'verifying' && tick.file !== lastFile) {
      lastFile = tick.file;
      process.stderr.write(`${plugin}: ${tick.file} fetched (${mb(tick.bytes)} so far)\n`);
    }
  };
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { all: { type: 'boolean' }, from: { type: 'string' }, hub: { type: 'string' } } });
  const [command, ...names] = positionals;
  const config = loadConfig();
  usePrivateUmask(); // the data folder is private, whoever writes to it
  const plugins = await loadPlugins(config.registry, config.rootDir);
  const weights = makeWeightInspector({ config });
  // The same fetcher as the hub's: loopback and private mirrors need `fetch.allow` in the config.
  const fetcher = makeSafeFetcher(config.fetch);
  const byName = new Map(plugins.map((p) => [p.decl.name, p]));
  const chosen = (required: boolean): LoadedPlugin[] => {
    if (values.all || (!required && names.length === 0)) return plugins.filter((p) => !p.decl.weightFree);
    if (names.length === 0) throw new UsageError(`name at least one plugin, or --all`);
    return names.map((name) => {
      const plugin = byName.get(name);
      if (!plugin) throw new UsageError(`unknown plugin '${name}'; known: ${[...byName.keys()].join(', ')}`);
      return plugin;
    });
  };

  switch (command) {
    case 'list': {
      const rows = plugins.map((p) => {
        const state = weights.state(p);
        const problem = weights.unusable(p)?.message ?? '';
        return [p.decl.name, state, p.decl.weightFree ? '-' : mb(weights.sizeOnDisk(p)), state === 'missing' ? problem : ''];
      });
      console.log(table([['PLUGIN', 'STATE', 'SIZE', 'PROBLEM'], ...rows]));
      console.log(`\nweights folder: ${weights.root}`);
      return 0;
    }
    case 'pull': {
      let failed = 0;
      if (values.hub !== undefined) {
        const key = process.env.HUB_API_KEY;
        if (!key) throw new UsageError('--hub needs an admin key in HUB_API_KEY');
        for (const plugin of chosen(true)) {
          try {
            const state = await pullViaHub(values.hub, plugin.decl.name, { from: values.from, key, onTick: progressPrinter(plugin.decl.name) });
            if (process.stderr.isTTY) process.stderr.write('\n');
            console.log(`${plugin.decl.name}: ${state} (a task of ${values.hub})`);
          } catch (error) {
            if (!(error instanceof HubError) && !(error instanceof TypeError)) throw error;
            if (process.stderr.isTTY) process.stderr.write('\n');
            console.error(`${plugin.decl.name}: ${error.message}`);
            failed++;
          }
        }
        return failed ? 1 : 0;
      }
      for (const plugin of chosen(true)) {
        try {
          const result = await pullWeights(weights, plugin, { from: values.from, fetcher, retries: config.downloads.retries, onTick: progressPrinter(plugin.decl.name) });
          if (process.stderr.isTTY) process.stderr.write('\n');
          console.log(`${plugin.decl.name}: ${weights.state(plugin)} (fetched ${result.fetched.length}, already in place ${result.skipped.length})`);
        } catch (error) {
          if (!(error instanceof DownloadError)) throw error;
          if (process.stderr.isTTY) process.stderr.write('\n');
          console.error(`${plugin.decl.name}: ${error.message}`);
          failed++;
        }
      }
      return failed ? 1 : 0;
    }
    case 'verify': {
      let failed = 0;
      for (const plugin of chosen(false)) {
        const report = await verifyPlugin(weights, plugin);
        if (report.problems.length === 0) console.log(`${report.plugin}: ok (${report.state})`);
        else {
          failed++;
          console.log(`${report.plugin}: ${report.problems.length} problem(s)\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
        }
      }
      return failed ? 1 : 0;
    }
    case 'remove': {
      for (const plugin of chosen(true)) {
        rmSync(weights.dir(plugin), { recursive: true, force: true });
        console.log(`${plugin.decl.name}: removed ${weights.dir(plugin)}`);
      }
      return 0;
    }
    default:
      throw new UsageError(command ? `unknown command '${command}'` : 'no command given');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    removeRuntimeDebugLog(); // `verify` opened sessions on this thread
    process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      console.error(`${(error as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  },
);
