// Where a plugin's weights stand. First version: file presence only; the ONNX layer adds
// checksums, contract checks and the smoke state.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfig } from '../config/load-config.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { WeightInspector } from './providers.ts';

export function makeWeightInspector(deps: { config: HubConfig }): WeightInspector {
  const root = join(deps.config.dataDir, 'models');
  const files = (plugin: LoadedPlugin) => Object.values(plugin.decl.graphs ?? {}).map((g) => g.file);
  const inspector: WeightInspector = {
    dir: (plugin) => join(root, plugin.decl.name),
    missingFiles: (plugin) => files(plugin).filter((f) => !existsSync(join(inspector.dir(plugin), f))),
    installCommand: (plugin) => `npm run weights -- pull ${plugin.decl.name}`,
    state(plugin) {
      if (plugin.decl.weightFree) return 'weight-free';
      return inspector.missingFiles(plugin).length === 0 ? 'installed' : 'missing';
    },
  };
  return inspector;
}
