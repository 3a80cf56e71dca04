// Seed 004's voices.json: named reference clips, kept by the operator next to the file,
// that every model able to clone speaks with. The file is read at start and again on
// POST /admin/reload-voices; a reload swaps the whole set at once, so a file with a bad
// entry changes nothing and the previous voices keep serving.
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import { errors, isHubError } from '../../errors.ts';
import { sniffFile } from '../../http/sniff-format.ts';
import type { Logger } from '../../log/logger.ts';
import { REFERENCE_ID } from './reference-routes.ts';

export interface FileVoice {
  readonly id: string;
  /** The clip's path as the file writes it (relative to the file's folder). */
  readonly wavPath: string;
  readonly path: string;
  readonly format: string;
  readonly text?: string;
  /** Changes when the clip does, so cached audio made with the old clip is not served. */
  readonly version: string;
}

export interface VoiceSet {
  readonly voices: ReadonlyMap<string, FileVoice>;
  readonly default?: string;
}

export interface VoiceFile {
  /** The voices loaded now (none when no file is configured or it has never loaded). */
  current(): Promise<VoiceSet>;
  /** Reads the file again; 422 naming each bad entry, and then nothing changes. */
  reload(): Promise<{ loaded: string[]; added: string[]; removed: string[]; default: string | null }>;
}

const ID = new RegExp(REFERENCE_ID);
const EMPTY: VoiceSet = { voices: new Map() };

/** One entry: `"name": "dir/clip.wav"` or `"name": { "wav": "dir/clip.wav", "text": "transcript" }`. */
async function readEntry(id: string, value: unknown, folder: string, audio: AudioToolkit): Promise<FileVoice> {
  if (!ID.test(id)) throw new Error('the name must be letters, digits, _ . - (up to 64)');
  const entry = typeof value === 'string' ? { wav: value } : (value as { wav?: unknown; text?: unknown } | null);
  if (!entry || typeof entry !== 'object' || typeof entry.wav !== 'string' || entry.wav === '') throw new Error('needs a clip path: "name": "clip.wav" or { "wav": "clip.wav", "text": "..." }');
  if (entry.text !== undefined && typeof entry.text !== 'string') throw new Error('"text" must be a string');
  const path = resolve(folder, entry.wav);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new Error(`${entry.wav} is not a file`);
  const format = await sniffFile(path);
  if (!audio.decodableFormats.includes(format)) throw new Error(`${entry.wav} is not audio this hub reads (WAV, MP3, FLAC, OGG)`);
  // Decoding once here is what "loading the voice" means for a model-independent list: a clip that would fail every request fails the reload instead.
  const probe = await audio.probe({ path, format, field: id, limitClass: 'reference' });
  if (probe.durationSeconds <= 0) throw new Error(`${entry.wav} holds no samples`);
  return { id, wavPath: entry.wav, path, format, ...(entry.text ? { text: entry.text } : {}), version: `${info.mtimeMs}:${info.size}` };
}

async function readVoiceFile(path: string, audio: AudioToolkit): Promise<VoiceSet> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw errors.invalidValue('voices', `voices file ${path} could not be read: ${(error as Error).message}`);
  }
  const body = parsed as { voices?: unknown; default?: unknown } | null;
  if (!body || typeof body !== 'object' || !body.voices || typeof body.voices !== 'object' || Array.isArray(body.voices)) {
    throw errors.invalidValue('voices', `voices file ${path} must be { "default": "name", "voices": { "name": "clip.wav", ... } }`);
  }
  const entries = Object.entries(body.voices as Record<string, unknown>);
  const results = await Promise.allSettled(entries.map(([id, value]) => readEntry(id, value, dirname(path), audio)));
  const bad = results.flatMap((r, i) => (r.status === 'rejected' ? [{ id: entries[i]![0], why: reason(r.reason) }] : []));
  if (bad.length) {
    const list = bad.map((b) => `'${b.id}': ${b.why}`).join('; ');
    throw errors.invalidValue(`voices.${bad[0]!.id}`, `voices file ${path} has bad entries, nothing was changed: ${list}`);
  }
  const voices = new Map(results.map((r) => (r as PromiseFulfilledResult<FileVoice>).value).map((v) => [v.id, v]));
  if (body.default !== undefined && (typeof body.default !== 'string' || !voices.has(body.default))) {
    throw errors.invalidValue('voices.default', `voices file ${path}: "default" must name one of its voices (${[...voices.keys()].join(', ') || 'none'})`);
  }
  return { voices, ...(typeof body.default === 'string' ? { default: body.default } : {}) };
}

/** A HubError from decoding says `field: rule`; the entry is named already. */
function reason(error: unknown): string {
  if (isHubError(error) && error.param && error.message.startsWith(`${error.param}: `)) return error.message.slice(error.param.length + 2);
  return (error as Error).message;
}

export function makeVoiceFile(deps: { path: string | undefined; audio: AudioToolkit; logger: Logger }): VoiceFile {
  const { path } = deps;
  let loaded: Promise<VoiceSet> = Promise.resolve(EMPTY);
  if (path) {
    loaded = readVoiceFile(path, deps.audio).catch((error: Error) => {
      // The hub still serves built-in voices; the operator fixes the file and reloads.
      deps.logger.error('voices file not loaded', { path, error: error.message });
      return EMPTY;
    });
  }
  /** Reloads run one after another, so two at once cannot interleave their swaps. */
  let queue: Promise<unknown> = Promise.resolve();

  return {
    current: () => loaded,
    reload() {
      const run = async () => {
        if (!path) throw errors.conflict('no voices file is configured: set openai.voicesFile');
        const previous = await loaded;
        const next = await readVoiceFile(path, deps.audio);
        loaded = Promise.resolve(next);
        const names = [...next.voices.keys()];
        return {
          loaded: names,
          added: names.filter((n) => !previous.voices.has(n) || previous.voices.get(n)!.version !== next.voices.get(n)!.version),
          removed: [...previous.voices.keys()].filter((n) => !next.voices.has(n)),
          default: next.default ?? null,
        };
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
