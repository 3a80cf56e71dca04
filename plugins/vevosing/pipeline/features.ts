// The Coco tokenizers' inputs and outputs (vevosing_utils.py extract_coco_codec):
//   frames  = len(wav24k) // 480                                         # 50 Hz
//   chroma  = chroma_stft(wav24k, 24000, n_fft=1920, hop=480, win=1920, n_chroma=24).T[:frames]
//   whisper = (extract_whisper_features(wav16k, frames) − mean) / std    # use_normed_whisper
//   content-style ids = CocoContentStyle.quantize(whisper, chroma)       # ceil(frames/4), 12.5 Hz
//   prosody ids       = CocoStyle.quantize(chroma)                       # ceil(frames/8), 6.25 Hz
import type { AudioToolkit } from '../../../core/audio/toolkit.ts';
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import { float32Tensor, idsOf } from '../../../core/onnx/tensors.ts';
import { normaliseFeatures, type FeatureStats } from '../../vevo-common/feature-stats.ts';
import { whisperFeatures } from '../../whisper-encoder/features.ts';
import { VEVOSING } from '../settings.ts';

type TokenGraphs = Readonly<Record<'whisper_encoder' | 'content_style_tokenizer' | 'prosody_tokenizer', GraphHandle>>;

/** Feature frames of a 24 kHz clip: len // 480. */
export const framesOf = (samples24k: number) => Math.floor(samples24k / VEVOSING.chroma.hop);

/** chroma_stft(...).T cut to `frames` ([frames][24], frame-major); a short one is edge-padded. */
export async function chromaFrames(audio: Pick<AudioToolkit, 'chroma'>, samples24k: Float32Array, frames: number): Promise<Float32Array> {
  const { nFft, hop, winLength, nChroma } = VEVOSING.chroma;
  const chroma = await audio.chroma(samples24k, VEVOSING.sampleRate, { nFft, hop, winLength, nChroma });
  const [bins, have] = chroma.dims;
  const out = new Float32Array(frames * bins);
  // [24][T] → [T][24]; frames past the chromagram repeat its last one
  for (let f = 0; f < frames; f++) {
    const src = Math.min(f, have - 1);
    for (let b = 0; b < bins; b++) out[f * bins + b] = chroma.data[b * have + src]!;
  }
  return out;
}

/** Normalised Whisper-medium features [frames][1024] of a 16 kHz clip. */
export async function whisperFrames(graphs: Pick<TokenGraphs, 'whisper_encoder'>, audio: Pick<AudioToolkit, 'melSpectrogram'>, samples16k: Float32Array, frames: number, stats: FeatureStats, signal: AbortSignal): Promise<Float32Array> {
  const features = await whisperFeatures(graphs.whisper_encoder, audio, samples16k, { frames, signal });
  return normaliseFeatures(features.data, stats);
}

export async function contentStyleTokens(graphs: Pick<TokenGraphs, 'content_style_tokenizer'>, whisper: Float32Array, chroma: Float32Array, frames: number, signal: AbortSignal): Promise<number[]> {
  // content_style_tokenizer: whisper [1, T, 1024] + chroma [1, T, 24] → ids [1, ceil(T/4)]
  const out = await graphs.content_style_tokenizer.run(
    { whisper: float32Tensor(whisper, [1, frames, VEVOSING.whisperDim]), chroma: float32Tensor(chroma, [1, frames, VEVOSING.chroma.nChroma]) },
    { signal },
  );
  return Array.from(idsOf(out.ids, 'content_style_tokenizer.ids'));
}

export async function prosodyTokens(graphs: Pick<TokenGraphs, 'prosody_tokenizer'>, chroma: Float32Array, frames: number, signal: AbortSignal): Promise<number[]> {
  // prosody_tokenizer: chroma [1, T, 24] → ids [1, ceil(T/8)]
  const out = await graphs.prosody_tokenizer.run({ chroma: float32Tensor(chroma, [1, frames, VEVOSING.chroma.nChroma]) }, { signal });
  return Array.from(idsOf(out.ids, 'prosody_tokenizer.ids'));
}
