// What the codec plugins' own tests share: a hub with smoke graphs for a registry, posts
// of forms and JSON bodies, WAVs of exact lengths, and a view of which graphs ran.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { GraphProvider, GraphStatus } from '../../core/onnx/providers.ts';
import { loadPlugins, type LoadedPlugin } from '../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../test/support/smoke.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { wavBytes } from '../../test/support/wav.ts';

import { detailOf } from '../mel-vocoder/test-support.ts';

export { detailOf, wavOf } from '../mel-vocoder/test-support.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export async function startCodecHub(registry: string): Promise<TestHub> {
  const hub = await startTestHub({ registry, rateLimit: { perMinute: 10_000, perHour: 100_000 } });
  await installSmokeGraphs(hub.dataDir, await loadPlugins(registry, ROOT));
  return hub;
}

/** A mono WAV of exactly `samples` samples: a tone with a little movement, at `sampleRate`. */
export function clip(samples: number, sampleRate: number): Blob {
  const audio = Float32Array.from({ length: samples }, (_, i) => 0.4 * Math.sin(i * 0.05) * (0.6 + 0.4 * Math.sin(i * 0.0007)));
  return new Blob([wavBytes(audio, sampleRate)], { type: 'audio/wav' });
}

export function form(fields: Readonly<Record<string, unknown>>, files: Readonly<Record<string, Blob>> = {}): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  for (const [name, blob] of Object.entries(files)) body.set(name, blob, `${name}.wav`);
  return body;
}

export function postForm(hub: TestHub, path: string, fields: Readonly<Record<string, unknown>>, files: Readonly<Record<string, Blob>> = {}): Promise<Response> {
  return hub.call(path, { method: 'POST', body: form(fields, files) });
}

export function postJson(hub: TestHub, path: string, body: unknown): Promise<Response> {
  return hub.call(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

export async function jsonOf<T>(res: Response): Promise<T> {
  if (res.status !== 200) assert.fail(`status ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** Load state and run counts of a plugin's graphs, from the hub's session manager. */
export function graphStatus(hub: TestHub, plugin: string): Record<string, GraphStatus> {
  const loaded = hub.container.resolve<readonly LoadedPlugin[]>('plugins').find((p) => p.decl.name === plugin);
  assert.ok(loaded, `plugin '${plugin}' is not registered`);
  const graphs = hub.container.resolve<GraphProvider>('graphs');
  return Object.fromEntries(graphs.status(loaded).map((s) => [s.name, s]));
}

/** A 400 (or the given status) whose detail is exactly `expected` (or matches it). */
export async function assertRefused(res: Response, expected: string | RegExp, status = 400): Promise<void> {
  assert.equal(res.status, status, await res.clone().text());
  const detail = await detailOf(res);
  if (typeof expected === 'string') assert.equal(detail, expected);
  else assert.match(detail, expected);
}
