// Turns a speech request into audio, chunk by chunk: the input is split at sentence
// boundaries, each chunk goes through the model's `tts` capability, is time-stretched
// when the model cannot change its own rate, and has its joins smoothed. Streamed and
// whole responses consume this same sequence, so they carry the same samples.
import type { TtsRequest } from '../../capabilities.ts';
import type { AudioToolkit } from '../../audio/toolkit.ts';
import { JOIN_FADE_SECONDS, smoothJoin } from './joins.ts';
import type { TtsProvider } from './models.ts';
import type { SamplingField, SpeechParams } from './speech-fields.ts';
import { splitIntoChunks } from './text-chunks.ts';
import type { ResolvedVoice } from './voices.ts';

export interface SpeechPlan {
  readonly provider: TtsProvider;
  /** The request every chunk is sent with (its text aside). */
  readonly request: Omit<TtsRequest, 'text'>;
  readonly chunks: readonly string[];
  /** Rate change the surface applies after synthesis (1 when the model did it). */
  readonly stretch: number;
  /** Fields the client sent that this model does not use. */
  readonly ignored: readonly string[];
}

export interface AudioChunk {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

export function planSpeech(provider: TtsProvider, params: SpeechParams, voice: ResolvedVoice, defaultChunkLength: number): SpeechPlan {
  const supports = new Set(provider.capability.supports ?? []);
  const ignored: string[] = [];
  const sampling: Partial<Record<SamplingField, number>> = {};
  for (const [name, value] of Object.entries(params.sampling) as [SamplingField, number][]) {
    if (supports.has(name)) sampling[name] = value;
    else if (name !== 'chunk_length') ignored.push(name);
  }
  const instructions = params.instructions && supports.has('instructions') ? params.instructions : undefined;
  if (params.instructions && !instructions) ignored.push('instructions');
  const nativeSpeed = supports.has('speed');
  const request: Omit<TtsRequest, 'text'> = {
    ...(voice.voice !== undefined ? { voice: voice.voice } : {}),
    ...(voice.reference ? { reference: voice.reference } : {}),
    ...(params.language !== undefined ? { language: params.language } : {}),
    ...(nativeSpeed && params.speed !== 1 ? { speed: params.speed } : {}),
    ...(instructions !== undefined ? { instructions } : {}),
    ...(Object.keys(sampling).length ? { sampling } : {}),
  };
  return {
    provider,
    request,
    chunks: splitIntoChunks(params.input, params.sampling.chunk_length ?? defaultChunkLength),
    stretch: nativeSpeed ? 1 : params.speed,
    ignored,
  };
}

export async function* synthesizeChunks(
  plan: SpeechPlan,
  deps: { audio: AudioToolkit },
  base: { signal: AbortSignal; requestId: string; progress?: (fraction: number, message?: string) => void },
): AsyncGenerator<AudioChunk> {
  const { provider } = plan;
  await provider.ready();
  const count = plan.chunks.length;
  let current = 0;
  // The plugin reports progress within a chunk; callers see it as progress over the whole text.
  const ctx = provider.context({
    signal: base.signal,
    requestId: base.requestId,
    progress: (fraction, message) => base.progress?.((current + Math.min(1, Math.max(0, fraction))) / count, message),
  });
  let rate: number | undefined;
  const checked = (result: { audio: Float32Array; sampleRate: number }) => {
    if (!(result.audio instanceof Float32Array) || !Number.isInteger(result.sampleRate) || result.sampleRate <= 0) {
      throw new Error(`plugin '${provider.plugin}': tts capability returned no { audio: Float32Array, sampleRate }`);
    }
    if (rate !== undefined && result.sampleRate !== rate) {
      throw new Error(`plugin '${provider.plugin}': tts capability changed its sample rate between chunks (${rate} → ${result.sampleRate} Hz)`);
    }
    rate = result.sampleRate;
    return result;
  };
  const stream = provider.capability.stream;
  for (const [index, text] of plan.chunks.entries()) {
    base.signal.throwIfAborted();
    current = index;
    const position = { first: index === 0, last: index === plan.chunks.length - 1 };
    if (stream && plan.stretch === 1) {
      // The model yields pieces as it decodes: pass them on at once, holding back only the
      // join's fade-out length, so the chunk's edges are smoothed as a whole chunk's would be.
      yield* joinedPieces(stream({ ...plan.request, text }, ctx), checked, position);
      base.progress?.((index + 1) / count, `chunk ${index + 1} of ${count} synthesised`);
      continue;
    }
    const result = checked(await provider.capability.synthesize({ ...plan.request, text }, ctx));
    // Copy: the plugin may keep or reuse its buffer; the fades below write in place.
    let samples: Float32Array = Float32Array.from(result.audio);
    if (plan.stretch !== 1) samples = await deps.audio.timeStretch(samples, result.sampleRate, plan.stretch);
    base.progress?.((index + 1) / count, `chunk ${index + 1} of ${count} synthesised`);
    yield { samples: smoothJoin(samples, result.sampleRate, position), sampleRate: result.sampleRate };
  }
}

/** A text chunk's streamed pieces with its joins smoothed: the fade-in on the first samples, the fade-out on the held-back tail. */
async function* joinedPieces(
  pieces: AsyncIterable<{ audio: Float32Array; sampleRate: number }>,
  checked: (piece: { audio: Float32Array; sampleRate: number }) => { audio: Float32Array; sampleRate: number },
  position: { first: boolean; last: boolean },
): AsyncGenerator<AudioChunk> {
  let held: Float32Array = new Float32Array(0);
  let sampleRate = 0;
  let started = false;
  for await (const piece of pieces) {
    sampleRate = checked(piece).sampleRate;
    const keep = 2 * Math.round(JOIN_FADE_SECONDS * sampleRate);
    const joined = new Float32Array(held.length + piece.audio.length);
    joined.set(held);
    joined.set(piece.audio, held.length);
    if (joined.length <= (started ? keep : 2 * keep)) {
      held = joined;
      continue;
    }
    const out = joined.slice(0, joined.length - keep);
    held = joined.slice(joined.length - keep);
    if (!started) smoothJoin(out, sampleRate, { first: position.first, last: true });
    started = true;
    yield { samples: out, sampleRate };
  }
  if (sampleRate === 0) return;
  yield { samples: smoothJoin(held, sampleRate, { first: started || position.first, last: position.last }), sampleRate };
}

/** The whole utterance as one buffer (non-streamed responses). */
export async function collect(chunks: AsyncIterable<AudioChunk>): Promise<AudioChunk> {
  const parts: Float32Array[] = [];
  let sampleRate = 0;
  for await (const chunk of chunks) {
    parts.push(chunk.samples);
    sampleRate = chunk.sampleRate;
  }
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  return { samples, sampleRate };
}
