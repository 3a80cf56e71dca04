// Normalised mel → 24 kHz audio: the Vocos graph gives the ISTFT head's spectrum, the
// "same"-padding inverse STFT runs here as vocos.py `ISTFT` does it (irfft · periodic Hann,
// overlap-add, trim (win − hop)/2 per side, divide by the window envelope): frames × 480 samples.
// Then `save_audio`'s loudness: the waveform scaled to −25 dB RMS.
import { samePaddingIstft } from '../../core/audio/dsp/istft.ts';
import type { AudioToolkit } from '../../core/audio/toolkit.ts';
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import { float32Tensor, floatsOf } from '../../core/onnx/tensors.ts';
import { VEVO_ACOUSTIC } from './settings.ts';

// The same head as MaskGCT's acoustic decoder: one ISTFT definition for both (core/audio/dsp/istft.ts).
export const VOCOS_ISTFT = samePaddingIstft(VEVO_ACOUSTIC.vocosNfft, VEVO_ACOUSTIC.hop);

/** [frames][bins] → [bins][frames] (predict_mel_feat.transpose(1, 2)). */
export function binsMajor(mel: Float32Array, frames: number, bins: number): Float32Array {
  const out = new Float32Array(mel.length);
  for (let f = 0; f < frames; f++) for (let b = 0; b < bins; b++) out[b * frames + f] = mel[f * bins + b]!;
  return out;
}

export async function vocode(graph: GraphHandle, audio: Pick<AudioToolkit, 'istft'>, mel: Float32Array, frames: number, signal: AbortSignal): Promise<Float32Array> {
  const { melBins, vocosBins, hop } = VEVO_ACOUSTIC;
  // vocoder: mel [1, 128, T] → spectrum [1, 961, T]
  const out = await graph.run({ mel: float32Tensor(binsMajor(mel, frames, melBins), [1, melBins, frames]) }, { signal });
  const spec = { re: floatsOf(out.real, 'vocoder.real'), im: floatsOf(out.imag, 'vocoder.imag'), dims: [vocosBins, frames] as const };
  return audio.istft(spec, { ...VOCOS_ISTFT, length: frames * hop });
}

/** save_audio: gain = target_db − 20·log10(rms + 1e-9); x · 10^(gain/20). */
export function normaliseLoudness(samples: Float32Array, targetDb: number = VEVO_ACOUSTIC.targetDb): Float32Array {
  let squares = 0;
  for (const x of samples) squares += x * x;
  const rms = Math.sqrt(squares / Math.max(1, samples.length));
  const gain = 10 ** ((targetDb - 20 * Math.log10(rms + 1e-9)) / 20);
  return samples.map((x) => x * gain);
}
