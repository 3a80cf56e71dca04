// What the vocoder plugins' own tests share: a hub with smoke graphs for the registry's
// plugins, a way to post an upload, and a weight folder that reads as installed.
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../test/support/smoke.ts';
import { standInGraphBytes } from '../../test/support/stand-in-weights.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { writeNpyFloat32 } from './npy.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export async function startVocoderHub(): Promise<TestHub> {
  const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
  // A generous limit: these tests make many calls a minute.
  const hub = await startTestHub({ rateLimit: { perMinute: 10_000, perHour: 100_000 } });
  await installSmokeGraphs(hub.dataDir, plugins);
  return hub;
}

export function npyBlob(data: Float32Array, shape: number[]): Blob {
  return new Blob([writeNpyFloat32(data, shape)], { type: 'application/octet-stream' });
}

/** A mel-shaped array with values in the range of a log-mel. */
export function melData(nMels: number, frames: number): Float32Array {
  return Float32Array.from({ length: nMels * frames }, (_, i) => -6 + 4 * Math.sin(i * 0.37) * Math.cos(i * 0.011));
}

export async function post(hub: TestHub, path: string, upload: { blob: Blob; name: string }, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('audio', upload.blob, upload.name);
  return hub.call(path, { method: 'POST', body: form });
}

export async function wavOf(res: Response): Promise<{ samples: Float32Array; sampleRate: number }> {
  if (res.status !== 200) assert.fail(`status ${res.status}: ${await res.text()}`);
  const wav = decodeWaveToFloat32Channels(new Uint8Array(await res.arrayBuffer()));
  return { samples: wav.audioChannels[0]!, sampleRate: wav.sampleRate };
}

export async function detailOf(res: Response): Promise<string> {
  return ((await res.json()) as { detail: string }).detail;
}

/**
 * Turns a plugin's smoke folder into one that reads as a real install: each smoke graph is
 * replaced by the same graph without the smoke mark in its metadata (it satisfies the
 * contract, as a real checkpoint would), and `config` is the checkpoint config.json.
 * Returns a function that restores the smoke folder.
 */
export async function installAsCheckpoint(hub: TestHub, plugin: string, config: unknown): Promise<() => Promise<void>> {
  const dir = join(hub.dataDir, 'models', plugin);
  const decl = (await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT)).find((p) => p.decl.name === plugin)!.decl;
  const graphs = Object.entries(decl.graphs ?? {});
  const smoke = new Map<string, Buffer>();
  await mkdir(dir, { recursive: true });
  for (const [graph, contract] of graphs) {
    smoke.set(contract.file, await readFile(join(dir, contract.file)));
    await writeFile(join(dir, contract.file), standInGraphBytes(contract, { plugin, graph }));
  }
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return async () => {
    await rm(join(dir, 'config.json'), { force: true });
    for (const [file, bytes] of smoke) await writeFile(join(dir, file), bytes);
  };
}
