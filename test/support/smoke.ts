// Installs smoke graphs for plugins into a test hub's data folder (<dataDir>/models/<plugin>),
// so each non-weight-free plugin reads 'smoke' and its routes run end to end.
import { join } from 'node:path';
import { installSmokeWeights } from '../../core/onnx/smoke-install.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';

export async function installSmokeGraphs(dataDir: string, plugins: readonly LoadedPlugin[]): Promise<void> {
  for (const plugin of plugins) {
    if (plugin.decl.weightFree) continue;
    installSmokeWeights(join(dataDir, 'models', plugin.decl.name), plugin);
  }
}
