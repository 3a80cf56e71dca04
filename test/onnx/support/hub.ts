// Starts a test hub whose registry lists the ONNX test fixtures (and any extra entries).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deepMerge } from '../../../core/config/load-config.ts';
import type { RegistryEntry } from '../../../core/registry/load-registry.ts';
import { startTestHub, type TestHub } from '../../support/test-hub.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export const fixtureEntry = (name: string, weights?: RegistryEntry['weights']): RegistryEntry => ({
  name,
  source: join(FIXTURES, name),
  enabled: true,
  ...(weights ? { weights } : {}),
});

export const audioInfoEntry: RegistryEntry = { name: 'audio-info', source: join(ROOT, 'plugins', 'audio-info'), enabled: true };

export async function startOnnxHub(entries: readonly RegistryEntry[], overrides: Record<string, unknown> = {}): Promise<TestHub> {
  const dir = await mkdtemp(join(tmpdir(), 'onnx-registry-'));
  const registry = join(dir, 'plugins.json');
  await writeFile(registry, JSON.stringify({ plugins: entries }));
  return startTestHub(deepMerge({ registry }, overrides));
}

export const postJson = (hub: TestHub, path: string, body: unknown = {}) =>
  hub.call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
