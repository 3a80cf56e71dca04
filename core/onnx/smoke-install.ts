// Writes a plugin's smoke graphs into its weight folder and marks the folder as smoke, so
// the plugin's state reads 'smoke' and every route runs end to end without a download.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { smokeGraphBytes } from './smoke-graph.ts';
import { isSmokeGraphFile } from './smoke-metadata.ts';
import { removeMarker, SMOKE_MARKER, VERIFIED_STAMP, writeJsonAtomic } from './weight-markers.ts';

export const SMOKE_GENERATOR = 'smoke-graph/1';

export interface SmokeInstallResult {
  readonly plugin: string;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

/**
 * Writes one smoke graph per declared graph. Refuses to overwrite files that are not smoke
 * graphs (real weights) unless `force` is set.
 */
export function installSmokeWeights(dir: string, plugin: LoadedPlugin, options: { force?: boolean } = {}): SmokeInstallResult {
  const name = plugin.decl.name;
  if (plugin.decl.weightFree) return { plugin: name, files: [] };
  const graphs = Object.entries(plugin.decl.graphs ?? {});
  const existing = graphs.filter(([, g]) => existsSync(join(dir, g.file)) && !isSmokeGraphFile(join(dir, g.file))).map(([, g]) => g.file);
  if (existing.length > 0 && !options.force) {
    throw new Error(`plugin '${name}': ${existing.join(', ')} already exist in ${dir} and are not smoke graphs; pass --force to overwrite them`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeMarker(dir, SMOKE_MARKER);
  removeMarker(dir, VERIFIED_STAMP);
  const files: { path: string; size: number }[] = [];
  for (const [graph, contract] of graphs) {
    const bytes = smokeGraphBytes(contract, { plugin: name, graph });
    const target = join(dir, contract.file);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    const temporary = `${target}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes, { mode: 0o600 });
    renameSync(temporary, target);
    files.push({ path: contract.file, size: bytes.byteLength });
  }
  writeJsonAtomic(join(dir, SMOKE_MARKER), {
    generator: SMOKE_GENERATOR,
    createdAt: new Date().toISOString(),
    files: Object.fromEntries(files.map((f) => [f.path, { size: f.size }])),
  });
  return { plugin: name, files };
}
