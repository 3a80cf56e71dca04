// A session manager over a temporary data folder, for tests that need no HTTP.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { deepMerge, loadConfig } from '../../../core/config/load-config.ts';
import { makeLogger } from '../../../core/log/logger.ts';
import { makeSessionManager, type SessionManager } from '../../../core/onnx/session-manager.ts';
import { makeWeightInspector } from '../../../core/onnx/weight-inspector.ts';
import type { WeightInspector } from '../../../core/onnx/providers.ts';
import type { PluginDecl } from '../../../core/plugin/types.ts';
import type { LoadedPlugin, RegistryEntry } from '../../../core/registry/load-registry.ts';

export interface ManagerSetup {
  readonly manager: SessionManager;
  readonly weights: WeightInspector;
  readonly dataDir: string;
  /** JSON log lines at warn and above. */
  readonly logs: Record<string, unknown>[];
  pluginOf(decl: PluginDecl, weights?: RegistryEntry['weights']): LoadedPlugin;
  /** Writes a file into a plugin's weight folder. */
  write(plugin: LoadedPlugin, file: string, bytes: Uint8Array | string): void;
  close(): Promise<void>;
}

export function setupManager(onnx: Record<string, unknown> = {}): ManagerSetup {
  const dataDir = mkdtempSync(join(tmpdir(), 'onnx-manager-'));
  const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: deepMerge({ dataDir, logLevel: 'silent' }, { onnx }) });
  const logs: Record<string, unknown>[] = [];
  const logger = makeLogger({ level: 'warn', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
  const weights = makeWeightInspector({ config });
  const manager = makeSessionManager({ config, logger, weights });
  return {
    manager,
    weights,
    dataDir,
    logs,
    pluginOf: (decl, registryWeights) => ({ decl, entry: { name: decl.name, source: resolve('.'), enabled: true, ...(registryWeights ? { weights: registryWeights } : {}) }, dir: undefined }),
    write(plugin, file, bytes) {
      const path = join(weights.dir(plugin), file);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
    },
    async close() {
      await manager.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
