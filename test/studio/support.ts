// A real hub for the voice-studio tests: the project's registry (whisper on smoke graphs
// for transcription) plus the tone-tts fixture, a deterministic TTS that clones (it takes
// a reference clip), on a free port with its own data directory.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installSmokeGraphs } from '../support/smoke.ts';
import { deepMerge } from '../../core/config/load-config.ts';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../support/test-hub.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export async function startStudioHub(overrides: Record<string, unknown> = {}, options: { smoke?: readonly string[]; extra?: readonly object[]; dataDir?: string } = {}): Promise<TestHub> {
  const dir = await mkdtemp(join(tmpdir(), 'studio-registry-'));
  const project = JSON.parse(await readFile(join(ROOT, 'registry', 'plugins.json'), 'utf8')) as { plugins: { name: string }[] };
  const fixture = { name: 'tone-tts', source: join(ROOT, 'test', 'fixtures', 'plugins', 'tone-tts'), enabled: true };
  const registry = join(dir, 'plugins.json');
  await writeFile(registry, JSON.stringify({ ...project, plugins: [...project.plugins, fixture, ...(options.extra ?? [])] }));
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'studio-data-')));
  const smoke = options.smoke ?? ['whisper'];
  if (smoke.length) {
    const plugins = await loadPlugins(registry, ROOT);
    await installSmokeGraphs(dataDir, plugins.filter((p) => smoke.includes(p.decl.name)));
  }
  const hub = await startTestHub(deepMerge({ registry, dataDir, studio: { defaultEngine: 'tone-tts' } }, overrides)).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...hub,
    dataDir,
    async stop() {
      await hub.stop();
      await rm(dir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registry entry of the graph-clone-tts fixture, its weights served from `baseUrl`. */
export function graphCloneEntry(weights?: { baseUrl: string; files: { path: string; sha256: string; size: number }[] }) {
  return { name: 'graph-clone-tts', source: join(ROOT, 'test', 'studio', 'fixtures', 'graph-clone-tts'), enabled: true, ...(weights ? { weights } : {}) };
}

export const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export function sampleForm(options: { seconds?: number; sampleRate?: number; text?: string | undefined; file?: Blob | null } = {}): FormData {
  const form = new FormData();
  if (options.text !== undefined || !('text' in options)) form.set('reference_text', options.text ?? 'A steady tone.');
  const file = options.file === undefined ? wavBlobFor({ seconds: options.seconds ?? 2, sampleRate: options.sampleRate ?? 22050 }) : options.file;
  if (file) form.set('file', file, 'sample.wav');
  return form;
}
