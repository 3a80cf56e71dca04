// Which files a plugin needs and what the registry says about them. The plugin names its
// graph files; the registry entry may add files (vocabularies, ONNX external data) and
// gives each one's source URL, size and sha256.
import type { LoadedPlugin } from '../registry/load-registry.ts';

export interface WeightFile {
  /** Path inside the plugin's weight folder. */
  readonly path: string;
  readonly sha256?: string;
  readonly size?: number;
  /** Where the registry says it can be fetched, when it says. */
  readonly url?: string;
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

export function weightFilesOf(plugin: LoadedPlugin): WeightFile[] {
  const source = plugin.entry.weights;
  const listed = new Map<string, WeightFile>();
  for (const file of source?.files ?? []) {
    const url = file.url ?? (source?.baseUrl ? joinUrl(source.baseUrl, file.path) : undefined);
    listed.set(file.path, { path: file.path, sha256: file.sha256, size: file.size, url });
  }
  for (const graph of Object.values(plugin.decl.graphs ?? {})) {
    if (!listed.has(graph.file)) listed.set(graph.file, { path: graph.file, url: source?.baseUrl ? joinUrl(source.baseUrl, graph.file) : undefined });
  }
  return [...listed.values()];
}

/** Whether every file has a place to come from. */
export function hasRegistrySource(plugin: LoadedPlugin): boolean {
  const files = weightFilesOf(plugin);
  return files.length > 0 && files.every((f) => f.url !== undefined);
}

export function graphFilesOf(plugin: LoadedPlugin): string[] {
  return [...new Set(Object.values(plugin.decl.graphs ?? {}).map((g) => g.file))];
}
