// The speaker-agnostic content streams, extracted at 16 kHz as Amphion does
// (processors/content_extractor.py), trimmed to the clip's valid frames (get_valid_features)
// and mapped onto the mel frames (align.ts). Whisper goes through the shared whisper-encoder
// step; ContentVec through this plugin's graph.
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { float32Tensor, floatsOf } from '../../../core/onnx/tensors.ts';
import { errors } from '../../../core/errors.ts';
import { whisperFeatures } from '../../whisper-encoder/index.ts';
import { SVC } from '../settings.ts';
import type { SvcVariant } from '../variants.ts';
import { alignContent, validFrames } from './align.ts';

export interface ContentStreams {
  /** [frames × 1024] on the mel frames */
  readonly whisper?: Float32Array;
  /** [frames × 256] on the mel frames */
  readonly contentvec?: Float32Array;
}

/** HuBERT's conv front end reads 400-sample windows every 320: the tail past the last window changes nothing. */
export function contentvecInput(wav16k: Float32Array): { waveform: Float32Array; frames: number } {
  const frames = Math.max(0, Math.floor((wav16k.length - 80) / 320));
  return { waveform: wav16k.subarray(0, frames * 320 + 80), frames };
}

export async function contentStreams(variant: SvcVariant, wav16k: Float32Array, melFrames: number, ctx: HandlerContext): Promise<ContentStreams> {
  const valid = validFrames(wav16k.length / SVC.contentRate);
  const streams: { whisper?: Float32Array; contentvec?: Float32Array } = {};
  if (variant.content.contentvec) {
    const { waveform, frames } = contentvecInput(wav16k);
    if (frames < 1) throw errors.badAudio('content_audio', 'too short for one content frame (at least 25 ms are needed)');
    // contentvec: waveform [1, S] → features [1, S/320, 256]
    const out = await ctx.graphs.contentvec!.run({ waveform: float32Tensor(waveform, [1, waveform.length]) }, { signal: ctx.signal });
    const features = floatsOf(out.features, 'contentvec.features');
    const take = Math.min(valid, frames);
    streams.contentvec = alignContent(features.subarray(0, take * SVC.contentvecDim), SVC.contentvecDim, melFrames);
  }
  if (variant.content.whisper) {
    // whisper_encoder per 30 s window → 50 Hz features cropped to the valid frames
    const features = await whisperFeatures(ctx.graphs.whisper_encoder!, ctx.audio, wav16k, { frames: valid, signal: ctx.signal });
    streams.whisper = alignContent(features.data, features.dim, melFrames);
  }
  return streams;
}
