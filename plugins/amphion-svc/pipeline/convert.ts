// One conversion, the same for the four models (Amphion models/svc/base/svc_inference.py with
// SVCTestDataset), in numbered steps:
//   1. content_audio at 24 kHz → its mel (the models' mel), energy → loudness ids
//   2. F0 on the mel frames (Praat autocorrelation, 50–1100 Hz); no voiced frame → 422
//   3. the target singer: by name, or nearest to reference_audio's embedding
//   4. the key: 2^(pitch_shift/12) × (auto key: target singer's median F0 / the source's)
//   5. melody ids and uv from the shifted F0
//   6. content features at 16 kHz, on the mel frames
//   7. the variant's decoder (→ mel, or VitsSVC → audio); 8. mel → vocoder
import { medianVoicedF0 } from '../../../core/audio/dsp/f0.ts';
import { errors } from '../../../core/errors.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import type { UploadedFile } from '../../../core/plugin/types.ts';
import { MEL_PRESETS } from '../../mel-presets/presets.ts';
import { f0OnGrid } from '../../nsf-hifigan/f0-frames.ts';
import { SVC } from '../settings.ts';
import type { SvcVariant } from '../variants.ts';
import { contentStreams } from './content.ts';
import { decodeDirect, decodeIterative, decodeVits, type ConditionFeeds, type DecodeRequest } from './decoders.ts';
import { spectralEmbedding } from './embedding.ts';
import { energyOfMel, f0ToCoarse, loudnessIds, shiftF0, unvoicedIds } from './prosody.ts';
import { extremaFor, loadRoster, nearestSinger, singerByName, type MelExtrema, type Singer } from './singers.ts';
import { vocodeMel } from './vocoder.ts';

export const SVC_MEL = MEL_PRESETS['vocoder-24k-100'];

export interface ConvertRequest {
  /** The source singing, mono at 24 kHz. */
  readonly content: Float32Array;
  /** The reference voice, mono at 24 kHz (not read when `singer` is given). */
  readonly reference?: Float32Array;
  readonly singer?: string;
  readonly pitchShift: number;
  readonly autoKey: boolean;
  readonly steps: number;
  readonly seed: number;
}

export interface Converted {
  readonly audio: Float32Array;
  readonly sampleRate: number;
  readonly singer: Singer;
  readonly similarity?: number;
  readonly factor: number;
  readonly vocoder?: string;
}

/** An upload as mono samples at the models' 24 kHz. */
export async function monoAt24k(file: UploadedFile, ctx: HandlerContext): Promise<Float32Array> {
  return (await ctx.audio.decode(file, { sampleRate: SVC.sampleRate, mono: true, signal: ctx.signal })).channels[0]!;
}

/**
 * Mel frames a clip needs: the relative-position attention of the exported encoders is traced
 * for clips longer than its window (4 frames each side), so shorter ones are refused.
 */
export const MIN_FRAMES = 8;

async function melOf(samples: Float32Array, field: string, ctx: HandlerContext): Promise<{ data: Float32Array; frames: number }> {
  const least = MIN_FRAMES * SVC.hop;
  if (samples.length < least) throw errors.badAudio(field, `audio of ${samples.length} samples at ${SVC.sampleRate} Hz is too short: at least ${least} (${(least / SVC.sampleRate).toFixed(3)} s) are needed`);
  const mel = await ctx.audio.melSpectrogram(samples, SVC_MEL);
  return { data: mel.data, frames: mel.dims[1] };
}

async function chooseSinger(request: ConvertRequest, ctx: HandlerContext): Promise<{ singer: Singer; similarity?: number; extrema?: MelExtrema }> {
  const roster = await loadRoster(ctx);
  if (request.singer !== undefined) {
    const singer = singerByName(roster, request.singer);
    return { singer, extrema: extremaFor(roster, singer) };
  }
  if (!request.reference) throw errors.invalidValue('reference_audio', 'required unless `singer` names one of the trained singers (GET the route’s /singers lists them)');
  const ref = await melOf(request.reference, 'reference_audio', ctx);
  const embedding = spectralEmbedding(ref.data, SVC.nMels, ref.frames);
  if (!embedding) throw errors.invalidValue('reference_audio', 'is silent: no singer can be matched to it');
  const nearest = nearestSinger(roster, embedding);
  if (!nearest) throw errors.unavailable(`plugin '${ctx.plugin.name}': no singer of this checkpoint is enrolled (singer_profiles.json has no embeddings); pass \`singer\` or enrol singers (EXPORT.md)`);
  return { ...nearest, extrema: extremaFor(roster, nearest.singer) };
}

/** (x + 1)/2 · (max − min) + min per bin: [frames × bins] normalised → [bins × frames] ln-mel. */
export function denormalise(mel: Float32Array, frames: number, extrema: MelExtrema): Float32Array {
  const out = new Float32Array(mel.length);
  for (let t = 0; t < frames; t++) {
    for (let b = 0; b < SVC.nMels; b++) out[b * frames + t] = ((mel[t * SVC.nMels + b]! + 1) / 2) * (extrema.max[b]! - extrema.min[b]!) + extrema.min[b]!;
  }
  return out;
}

export async function convert(variant: SvcVariant, request: ConvertRequest, ctx: HandlerContext): Promise<Converted> {
  // 1. the source, its mel and loudness
  ctx.progress(0, 'analysing the source', 'analyse');
  const wav = request.content;
  const mel = await melOf(wav, 'content_audio', ctx);
  const frames = mel.frames;

  // 2. F0 per mel frame
  const f0 = await f0OnGrid(ctx, wav, { sampleRate: SVC.sampleRate, hop: SVC.hop, frames, fmin: SVC.f0Min, fmax: SVC.f0Max });
  const sourceMedian = medianVoicedF0({ f0 });
  if (sourceMedian === undefined) {
    throw errors.invalidValue('content_audio', `no pitch was found: no frame is voiced between ${SVC.f0Min} and ${SVC.f0Max} Hz (silence, noise or unpitched sound cannot be sung by another voice)`);
  }

  // 3. the singer
  const { singer, similarity, extrema } = await chooseSinger(request, ctx);

  // 4. the key
  const auto = request.autoKey && singer.f0Median ? singer.f0Median / sourceMedian : 1;
  const factor = 2 ** (request.pitchShift / 12) * auto;
  const shifted = shiftF0(f0, factor);

  // 5.–6. the condition encoder's inputs
  const wav16k = await ctx.audio.resample(wav, SVC.sampleRate, SVC.contentRate);
  const content = await contentStreams(variant, wav16k, frames, ctx);
  const feeds: ConditionFeeds = {
    pitch: { type: 'int64', data: f0ToCoarse(shifted), dims: [1, frames] },
    uv: { type: 'int64', data: unvoicedIds(shifted), dims: [1, frames] },
    loudness: { type: 'int64', data: loudnessIds(energyOfMel(mel.data, SVC.nMels, frames)), dims: [1, frames] },
    ...(content.whisper ? { whisper: { type: 'float32', data: content.whisper, dims: [1, frames, SVC.whisperDim] } } : {}),
    ...(content.contentvec ? { contentvec: { type: 'float32', data: content.contentvec, dims: [1, frames, SVC.contentvecDim] } } : {}),
    singer: { type: 'int64', data: BigInt64Array.of(BigInt(singer.id)), dims: [1] },
  };
  const decodeRequest: DecodeRequest = { feeds, frames, steps: request.steps, seed: request.seed, f0: shifted };

  // 7. the decoder
  const base = { singer, factor, ...(similarity !== undefined ? { similarity } : {}) };
  if (variant.decoder === 'vits') return { ...base, audio: await decodeVits(decodeRequest, ctx), sampleRate: SVC.sampleRate };
  const normalised = variant.decoder === 'direct' ? await decodeDirect(decodeRequest, ctx) : await decodeIterative(variant.decoder, decodeRequest, ctx);
  if (!extrema) throw errors.unavailable(`plugin '${ctx.plugin.name}': mel_extrema.json has no statistics for dataset '${singer.dataset}' of singer '${singer.name}'`);

  // 8. the vocoder
  ctx.progress(1, 'vocoding', 'vocode');
  const vocoded = await vocodeMel(denormalise(normalised, frames, extrema), frames, ctx);
  return { ...base, audio: vocoded.audio, sampleRate: vocoded.sampleRate, vocoder: vocoded.vocoder };
}
