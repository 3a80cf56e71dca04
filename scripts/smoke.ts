// `npm run smoke -- <plugin...>|--all [--force]`: writes smoke graphs generated from each
// plugin's graph contracts into <dataDir>/models/<plugin>, so its routes run end to end
// without a download (the audio they make is meaningless; responses say X-Weight-State: smoke).
// Real weights are never overwritten unless --force is given.
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config/load-config.ts';
import { usePrivateUmask } from '../core/store/private-files.ts';
import { installSmokeWeights } from '../core/onnx/smoke-install.ts';
import { makeWeightInspector } from '../core/onnx/weight-inspector.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';

const USAGE = 'usage: npm run smoke -- <plugin...>|--all [--force]';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { all: { type: 'boolean' }, force: { type: 'boolean' } } });
  const config = loadConfig();
  usePrivateUmask(); // the data folder is private, whoever writes to it
  const plugins = await loadPlugins(config.registry, config.rootDir);
  const weights = makeWeightInspector({ config });
  if (!values.all && positionals.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const known = new Map(plugins.map((p) => [p.decl.name, p]));
  const unknown = positionals.filter((name) => !known.has(name));
  if (unknown.length) {
    console.error(`unknown plugin(s): ${unknown.join(', ')}; known: ${[...known.keys()].join(', ')}\n${USAGE}`);
    return 2;
  }
  const chosen = values.all ? plugins : positionals.map((name) => known.get(name)!);
  let failed = 0;
  for (const plugin of chosen) {
    if (plugin.decl.weightFree) {
      if (!values.all) console.log(`${plugin.decl.name}: weight-free, nothing to do`);
      continue;
    }
    try {
      const result = installSmokeWeights(weights.dir(plugin), plugin, { force: values.force });
      const bytes = result.files.reduce((sum, f) => sum + f.size, 0);
      console.log(`${plugin.decl.name}: ${weights.state(plugin)} (${result.files.length} graph(s), ${(bytes / 1024).toFixed(1)} KiB)`);
    } catch (error) {
      console.error((error as Error).message);
      failed++;
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).stack ?? String(error));
    process.exit(1);
  },
);
