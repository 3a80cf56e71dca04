// Where a plugin's weights stand, answered from the file system on every call (cheap stats)
// so files installed while the hub runs are seen at once:
//   smoke     - the graph files are present and one is a smoke graph (its ONNX metadata says so);
//   missing   - a needed file is absent or has the wrong size, or a load found it unusable
//               (wrong sha256, not ONNX, contract mismatch: the recorded error says which);
//   installed - everything present; sha256 and contracts are checked when graphs load;
//   unverified - everything present, but some file has no registry sha256: nothing can say
//               these are the files the registry means (they run, labelled so).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfig } from '../config/load-config.ts';
import { errors, type HubError } from '../errors.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { WeightInspector, WeightState } from './providers.ts';
import { graphFilesOf, hasRegistrySource, weightFilesOf, type WeightFile } from './weight-files.ts';
import { isSmokeGraphFile } from './smoke-metadata.ts';
import { readVerifiedStamp, recordVerified, signatureOf } from './weight-markers.ts';

function folderSize(dir: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderSize(path);
    else if (entry.isFile()) total += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

export function makeWeightInspector(deps: { config: Pick<HubConfig, 'dataDir'> }): WeightInspector {
  const root = join(deps.config.dataDir, 'models');
  /** Failures found at load, valid while the files keep the signature they had then. */
  const failures = new Map<string, { error: HubError; signature: string }>();

  const dir = (plugin: LoadedPlugin) => join(root, plugin.decl.name);
  const filesSignature = (plugin: LoadedPlugin) =>
    weightFilesOf(plugin)
      .map((f) => {
        const s = signatureOf(join(dir(plugin), f.path));
        return s ? `${f.path}:${s.size}:${s.mtimeMs}` : `${f.path}:-`;
      })
      .join('|');

  /** Smoke when every graph file is present and one of them is a smoke graph: its audio is then meaningless. */
  const isSmoke = (plugin: LoadedPlugin): boolean => {
    const paths = graphFilesOf(plugin).map((file) => join(dir(plugin), file));
    return paths.length > 0 && paths.every((path) => signatureOf(path) !== undefined) && paths.some(isSmokeGraphFile);
  };

  const recordedFailure = (plugin: LoadedPlugin): HubError | undefined => {
    const failure = failures.get(plugin.decl.name);
    if (!failure) return undefined;
    if (failure.signature === filesSignature(plugin)) return failure.error;
    failures.delete(plugin.decl.name);
    return undefined;
  };

  const inspector: WeightInspector = {
    root,
    dir,
    files: weightFilesOf,

    missingFiles(plugin) {
      return weightFilesOf(plugin).flatMap((file) => {
        const signature = signatureOf(join(dir(plugin), file.path));
        if (!signature) return [file.path];
        if (file.size !== undefined && signature.size !== file.size) return [`${file.path} (${signature.size} bytes, the registry says ${file.size})`];
        return [];
      });
    },

    installCommand(plugin) {
      const name = plugin.decl.name;
      return hasRegistrySource(plugin) ? `npm run weights -- pull ${name}` : `npm run weights -- pull ${name} --from <dir|url>`;
    },

    state(plugin) {
      if (plugin.decl.weightFree) return 'weight-free';
      if (isSmoke(plugin)) return recordedFailure(plugin) ? 'missing' : 'smoke';
      if (inspector.missingFiles(plugin).length > 0 || recordedFailure(plugin)) return 'missing';
      return weightFilesOf(plugin).every((file) => file.sha256 !== undefined) ? 'installed' : 'unverified';
    },

    unusable(plugin) {
      const state: WeightState = inspector.state(plugin);
      if (state !== 'missing') return undefined;
      return recordedFailure(plugin) ?? errors.weightsMissing(plugin.decl.name, inspector.missingFiles(plugin), inspector.installCommand(plugin));
    },

    recordFailure(plugin, error) {
      failures.set(plugin.decl.name, { error, signature: filesSignature(plugin) });
    },

    clearFailure(plugin) {
      failures.delete(plugin.decl.name);
    },

    unverifiedFiles(plugin): WeightFile[] {
      if (isSmoke(plugin)) return [];
      const stamp = readVerifiedStamp(dir(plugin));
      return weightFilesOf(plugin).filter((file) => {
        if (!file.sha256) return false;
        const known = stamp.files[file.path];
        const now = signatureOf(join(dir(plugin), file.path));
        return !known || !now || known.sha256 !== file.sha256 || known.size !== now.size || known.mtimeMs !== now.mtimeMs;
      });
    },

    markVerified(plugin, verified) {
      recordVerified(dir(plugin), verified);
    },

    sizeOnDisk: (plugin) => folderSize(dir(plugin)),
  };
  return inspector;
}
