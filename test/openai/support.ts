// A real hub for the OpenAI-surface tests: the project's registry plus the deterministic
// tone-tts fixture (and weighted-tts, whose weights are never there), on a free port,
// with its own data directory.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export { DEV_KEY };

/** Registry entries of the project (espeak and the others) plus the TTS fixtures. */
async function registryWithFixture(dir: string): Promise<string> {
  const project = JSON.parse(await readFile(join(ROOT, 'registry', 'plugins.json'), 'utf8')) as { plugins: object[] };
  const fixtures = ['tone-tts', 'weighted-tts'].map((name) => ({ name, source: join(ROOT, 'test', 'fixtures', 'plugins', name), enabled: true }));
  const path = join(dir, 'plugins.json');
  await writeFile(path, JSON.stringify({ ...project, plugins: [...project.plugins, ...fixtures] }));
  return path;
}

export async function startSpeechHub(openai: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Promise<TestHub> {
  const dir = await mkdtemp(join(tmpdir(), 'openai-registry-'));
  const hub = await startTestHub({ registry: await registryWithFixture(dir), openai: { defaultModel: 'tone-tts', ...openai }, ...overrides }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    ...hub,
    async stop() {
      await hub.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POST a JSON speech request with the dev key as a Bearer token, as OpenAI clients do. */
export function speak(hub: TestHub, body: Record<string, unknown>, init: { path?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return hub.call(init.path ?? '/v1/audio/speech', {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_KEY}`, 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify(body),
  });
}

export function int16Samples(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(Math.floor(bytes.byteLength / 2));
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true) / 32768;
  return out;
}

export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

export function decodeWav(bytes: Uint8Array): { samples: Float32Array; sampleRate: number } {
  const wav = decodeWaveToFloat32Channels(bytes);
  return { samples: wav.audioChannels[0]!, sampleRate: wav.sampleRate };
}

/** Splits an SSE body into its JSON events. */
export function sseEvents(text: string): Record<string, unknown>[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      return JSON.parse(data) as Record<string, unknown>;
    });
}
