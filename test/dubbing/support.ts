// A hub for the dubbing tests: Vevo on smoke graphs as the voice-conversion provider, the
// fetcher's allow-list opened to loopback (the default config refuses it), and helpers that
// speak seed 001's protocol over HTTP: Api-Key auth, presigned PUT uploads, polling.
import { join } from 'node:path';
import { deepMerge } from '../../core/config/load-config.ts';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../support/smoke.ts';
import { DEV_KEY, startTestHub, type TestHub } from '../support/test-hub.ts';
import { wavBytes } from '../support/wav.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-dubbing.json');

export async function startDubbingHub(overrides: Record<string, unknown> = {}): Promise<TestHub> {
  const hub = await startTestHub(deepMerge({ registry: REGISTRY, fetch: { allow: ['127.0.0.1/32'] }, jobs: { concurrency: 2 } }, overrides));
  const registry = typeof overrides.registry === 'string' ? overrides.registry : REGISTRY;
  await installSmokeGraphs(typeof overrides.dataDir === 'string' ? overrides.dataDir : hub.dataDir, await loadPlugins(registry, ROOT));
  return hub;
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A call with `Authorization: Api-Key <key>` (seed 001's scheme), JSON in and out. */
export async function api(hub: TestHub, method: string, path: string, body?: unknown, key: string = DEV_KEY): Promise<{ status: number; json: Json }> {
  const res = await fetch(hub.url + path, {
    method,
    headers: { Authorization: `Api-Key ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

export async function put(url: string, bytes: Uint8Array): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Polls (every 50 ms: more often than the seed's 3 s, which is answered normally) until the status is final. */
export async function until(hub: TestHub, path: string, field: 'dub' | 'voice', wanted: readonly string[], timeoutMs = 60_000): Promise<Json> {
  const started = Date.now();
  for (;;) {
    const { status, json } = await api(hub, 'GET', path);
    if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(json)}`);
    const record = json[field] as Json;
    if (wanted.includes(record.status)) return record;
    if (record.status === 'error') throw new Error(`${field} failed: ${record.errorCode}: ${record.errorMessage}`);
    if (Date.now() - started > timeoutMs) throw new Error(`${field} still ${record.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A two-track song: a centred "vocal" (a tone with vibrato) over stereo noise (different in each channel). */
export function songWav(seconds: number, sampleRate = 22050, seed = 1): Uint8Array {
  let state = seed >>> 0;
  const noise = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const n = Math.round(seconds * sampleRate);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const vocal = 0.4 * Math.sin(2 * Math.PI * 220 * t + 3 * Math.sin(2 * Math.PI * 5 * t)) * (Math.floor(t) % 4 === 3 ? 0.05 : 1);
    left[i] = vocal + 0.1 * noise();
    right[i] = vocal + 0.1 * noise();
  }
  return wavBytes([left, right], sampleRate);
}

/** A voice recording: a gliding tone with pauses (silence to trim at both ends). */
export function voiceWav(seconds: number, frequency: number, sampleRate = 24000): Uint8Array {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const voiced = t > 0.5 && t < seconds - 0.5 && Math.floor(t * 2) % 5 !== 4;
    out[i] = voiced ? 0.3 * Math.sin(2 * Math.PI * (frequency + 20 * Math.sin(2 * Math.PI * 0.5 * t)) * t) : 0;
  }
  return wavBytes(out, sampleRate);
}

/** Creates a voice from recordings, uploads them, clones it and waits until it is done. */
export async function makeVoice(hub: TestHub, recordings: readonly Uint8Array[], name = 'Test voice'): Promise<Json> {
  const created = await api(hub, 'POST', '/v1/me/voices', { name, numberOfFiles: recordings.length, maxMinutes: 5, separate: false });
  if (created.status !== 200) throw new Error(`create voice: ${created.status} ${JSON.stringify(created.json)}`);
  for (const [i, url] of (created.json.uploadUrls as string[]).entries()) {
    const up = await put(url, recordings[i]!);
    if (up.status !== 200) throw new Error(`upload ${i}: ${up.status} ${JSON.stringify(up.json)}`);
  }
  const id = created.json.voice.id as string;
  const cloned = await api(hub, 'POST', `/v1/me/voices/${id}/clone`);
  if (cloned.status !== 200) throw new Error(`clone: ${cloned.status} ${JSON.stringify(cloned.json)}`);
  return until(hub, `/v1/me/voices/${id}`, 'voice', ['done']);
}
