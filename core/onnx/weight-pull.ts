// Installing real weights for a plugin, for the CLI and the model API alike: skip files
// already in place and verified, download the rest, then drop the smoke marker, record the
// checked sha256s and forget any earlier load failure.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeFetcher } from '../net/safe-fetch.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { WeightInspector } from './providers.ts';
import { DownloadError, downloadWeights, type DownloadTick } from './weight-download.ts';
import type { WeightFile } from './weight-files.ts';
import { readSmokeMarker, removeMarker, SMOKE_MARKER, signatureOf } from './weight-markers.ts';

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Files that need fetching: absent, of the wrong size, failing their sha256, or smoke graphs. */
async function filesToFetch(weights: WeightInspector, plugin: LoadedPlugin): Promise<WeightFile[]> {
  const dir = weights.dir(plugin);
  if (readSmokeMarker(dir)) return weights.files(plugin);
  const unverified = new Set(weights.unverifiedFiles(plugin).map((f) => f.path));
  const needed: WeightFile[] = [];
  for (const file of weights.files(plugin)) {
    const path = join(dir, file.path);
    const signature = signatureOf(path);
    if (!signature || (file.size !== undefined && signature.size !== file.size)) needed.push(file);
    else if (file.sha256 && unverified.has(file.path)) {
      if ((await sha256Of(path)) === file.sha256) weights.markVerified(plugin, [{ path: file.path, sha256: file.sha256 }]);
      else needed.push(file);
    }
  }
  return needed;
}

export interface PullOptions {
  readonly from?: string;
  readonly fetcher: SafeFetcher;
  /** Local sources must lie under it (the model API's import directory); the CLI reads any folder. */
  readonly localRoot?: string;
  readonly retries?: number;
  readonly signal?: AbortSignal;
  readonly onTick?: (tick: DownloadTick) => void;
}

export interface PullResult {
  readonly fetched: readonly string[];
  readonly skipped: readonly string[];
}

export async function pullWeights(weights: WeightInspector, plugin: LoadedPlugin, options: PullOptions): Promise<PullResult> {
  if (plugin.decl.weightFree) throw new DownloadError(`plugin '${plugin.decl.name}' is weight-free: there is nothing to download`);
  const dir = weights.dir(plugin);
  const needed = await filesToFetch(weights, plugin);
  const downloaded = await downloadWeights({ ...options, plugin, files: needed, dir });
  removeMarker(dir, SMOKE_MARKER);
  const registrySha = new Map(weights.files(plugin).map((f) => [f.path, f.sha256]));
  weights.markVerified(plugin, downloaded.filter((f) => registrySha.get(f.path) === f.sha256));
  weights.clearFailure(plugin);
  const fetched = new Set(downloaded.map((f) => f.path));
  return { fetched: [...fetched], skipped: weights.files(plugin).map((f) => f.path).filter((p) => !fetched.has(p) && existsSync(join(dir, p))) };
}
