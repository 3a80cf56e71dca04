// The FM model's prompt: `extract_mel_feature(wav24k)` = (mel − mean)/sqrt(var), laid out
// [frames × 128] frame-major as the transformer reads it ([B, T, n_mels]).
import type { AudioToolkit } from '../../core/audio/toolkit.ts';
import { VEVO_ACOUSTIC, VEVO_MEL } from './settings.ts';

export function normaliseMel(mel: { readonly data: Float32Array; readonly dims: readonly [number, number] }): { mel: Float32Array; frames: number } {
  const [bins, frames] = mel.dims;
  const scale = 1 / Math.sqrt(VEVO_ACOUSTIC.melVar);
  const out = new Float32Array(frames * bins);
  // mel.transpose(1, 2): [bins][frames] → [frames][bins]
  for (let b = 0; b < bins; b++) for (let f = 0; f < frames; f++) out[f * bins + b] = (mel.data[b * frames + f]! - VEVO_ACOUSTIC.melMean) * scale;
  return { mel: out, frames };
}

export async function promptMel(audio: Pick<AudioToolkit, 'melSpectrogram'>, samples24k: Float32Array): Promise<{ mel: Float32Array; frames: number }> {
  return normaliseMel(await audio.melSpectrogram(samples24k, VEVO_MEL));
}
