// 50 Hz Whisper encoder features of a clip of any length, as Amphion's
// `extract_whisper_features` computes them for one 30 s window (vevosing_utils.py):
//   wavs = whisper.pad_or_trim(wav16k)                 # zero-pad or cut to 480000 samples
//   mel = whisper.log_mel_spectrogram(wavs)            # [1, 80, 3000]
//   features = model.embed_audio(mel)[:, :frames]      # [1, 1500, D] → the clip's frames
// Amphion silently drops everything after 30 s; here a longer clip is cut into 30 s windows,
// each analysed and encoded as that code would a clip of its own, and their features are
// joined. A requested length past the windows repeats the last frame (as Amphion pads).
import type { AudioToolkit } from '../../core/audio/toolkit.ts';
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import { float32Tensor, floatsOf } from '../../core/onnx/tensors.ts';
import { whisperMelOptions } from '../whisper/log-mel.ts';
import { N_AUDIO_CTX, N_FRAMES, N_SAMPLES } from '../whisper/presets.ts';

/** 16 kHz samples per feature frame: 160 (mel hop) × 2 (the encoder's strided conv). */
export const SAMPLES_PER_FEATURE = N_SAMPLES / N_AUDIO_CTX;

export interface WhisperFeatures {
  /** [frames][dim], frame-major. */
  readonly data: Float32Array;
  readonly frames: number;
  readonly dim: number;
}

export interface WhisperFeatureOptions {
  /** Frames to return; default floor(samples / 320), the clip's own length at 50 Hz. */
  readonly frames?: number;
  readonly signal?: AbortSignal;
  /** Called after each 30 s window. */
  readonly onWindow?: (done: number, total: number) => void;
}

/** Number of 30 s windows a clip of this many 16 kHz samples is cut into (at least one). */
export function windowCount(samples: number): number {
  return Math.max(1, Math.ceil(samples / N_SAMPLES));
}

/** pad_or_trim + log_mel_spectrogram of one window: [nMels × 3000]. */
export async function windowMel(audio: Pick<AudioToolkit, 'melSpectrogram'>, window: Float32Array, nMels: number): Promise<Float32Array> {
  const padded = new Float32Array(N_SAMPLES);
  padded.set(window.subarray(0, N_SAMPLES));
  const mel = await audio.melSpectrogram(padded, whisperMelOptions(nMels));
  if (mel.dims[1] !== N_FRAMES) throw new Error(`whisper-encoder: a 30 s window gave ${mel.dims[1]} mel frames, expected ${N_FRAMES}`);
  return mel.data;
}

export async function whisperFeatures(
  graph: GraphHandle,
  audio: Pick<AudioToolkit, 'melSpectrogram'>,
  samples16k: Float32Array,
  options: WhisperFeatureOptions = {},
): Promise<WhisperFeatures> {
  const [, nMels] = graph.contract.inputs[0]!.dims as readonly [unknown, number, number];
  const dim = graph.contract.outputs[0]!.dims[2] as number;
  const frames = options.frames ?? Math.floor(samples16k.length / SAMPLES_PER_FEATURE);
  const out = new Float32Array(frames * dim);
  const windows = windowCount(samples16k.length);
  let filled = 0;
  for (let w = 0; w < windows && filled < frames; w++) {
    options.signal?.throwIfAborted();
    const mel = await windowMel(audio, samples16k.subarray(w * N_SAMPLES, (w + 1) * N_SAMPLES), nMels);
    // whisper_encoder: mel [1, n_mels, 3000] → features [1, 1500, D]
    const encoded = floatsOf((await graph.run({ mel: float32Tensor(mel, [1, nMels, N_FRAMES]) }, options.signal ? { signal: options.signal } : {})).features, `${graph.name}.features`);
    const take = Math.min(N_AUDIO_CTX, frames - filled);
    out.set(encoded.subarray(0, take * dim), filled * dim);
    filled += take;
    options.onWindow?.(w + 1, windows);
  }
  // features past the last window: the last frame repeated (Amphion's padding)
  if (filled > 0) for (let f = filled; f < frames; f++) out.copyWithin(f * dim, (filled - 1) * dim, filled * dim);
  return { data: out, frames, dim };
}
