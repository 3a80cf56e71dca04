// Mel spectrogram conventions of published checkpoint families, as data for the audio
// toolkit's `MelOptions`. Getting one parameter wrong still gives audio, only worse, so
// each preset cites the code it reproduces. Shared by every plugin that consumes or
// produces these mels (vocoders, and acoustic models that feed them).
import type { MelOptions } from '../../core/audio/feature-types.ts';

interface VocoderMelParams {
  readonly sampleRate: number;
  readonly nFft: number;
  readonly hop: number;
  readonly nMels: number;
  /** null in a checkpoint's config means Nyquist. */
  readonly fMax: number | null;
  readonly fMin?: number;
  readonly winLength?: number;
}

/**
 * The convention of jik876/hifi-gan `meldataset.py mel_spectrogram`, which NVIDIA/BigVGAN
 * `meldataset.py` keeps: librosa Slaney mel filters, periodic Hann window, reflect padding
 * of (n_fft − hop)/2 with `center=False`, magnitude sqrt(re² + im² + 1e-9), then
 * ln(max(x, 1e-5)) with no further normalisation.
 */
export function vocoderMel(params: VocoderMelParams): MelOptions {
  const winLength = params.winLength ?? params.nFft;
  return {
    sampleRate: params.sampleRate,
    nFft: params.nFft,
    winLength,
    hop: params.hop,
    nMels: params.nMels,
    fMin: params.fMin ?? 0,
    fMax: params.fMax ?? params.sampleRate / 2,
    window: 'hann',
    periodic: true,
    center: false,
    padMode: 'reflect',
    pad: (params.nFft - params.hop) / 2,
    power: 1,
    magnitudeEpsilon: 1e-9,
    melScale: 'slaney',
    melNorm: 'slaney',
    log: { type: 'ln', floor: 1e-5 },
  };
}

export const MEL_PRESETS = {
  /** HiFi-GAN (every published checkpoint) and BigVGAN 22 kHz with fmax 8 kHz. */
  'vocoder-22k-80-fmax8k': vocoderMel({ sampleRate: 22050, nFft: 1024, hop: 256, nMels: 80, fMax: 8000 }),
  /** BigVGAN-v2 22 kHz, full band. */
  'vocoder-22k-80': vocoderMel({ sampleRate: 22050, nFft: 1024, hop: 256, nMels: 80, fMax: null }),
  /** BigVGAN base/v1 and v2 24 kHz (fmax 12 kHz is Nyquist). */
  'vocoder-24k-100': vocoderMel({ sampleRate: 24000, nFft: 1024, hop: 256, nMels: 100, fMax: 12000 }),
  /** BigVGAN-v2 44 kHz, 256x upsampling. */
  'vocoder-44k-128-256x': vocoderMel({ sampleRate: 44100, nFft: 1024, hop: 256, nMels: 128, fMax: null }),
  /** BigVGAN-v2 44 kHz, 512x upsampling. */
  'vocoder-44k-128-512x': vocoderMel({ sampleRate: 44100, nFft: 2048, hop: 512, nMels: 128, fMax: null }),
} as const satisfies Record<string, MelOptions>;

export type MelPresetName = keyof typeof MEL_PRESETS;
