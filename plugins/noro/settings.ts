// Noro's fixed facts and inference defaults, as data. Sources (open-mmlab/Amphion d3de90f):
// egs/vc/Noro/exp_config_base.json, config/noro.json, models/vc/Noro/{noro_inference.py,
// noro_model.py}, processors/content_extractor.py (HubertExtractor), utils/mel.py
// (mel_spectrogram_torch), utils/f0.py; summarised in EXPORT.md.
import type { MelOptions } from '../../core/audio/feature-types.ts';
import type { VpSdeSchedule } from '../../core/generation/vp-ode.ts';
import { vocoderMel } from '../mel-presets/presets.ts';

export const NORO = {
  /** Every clip is read at 16 kHz (`librosa.load(path, sr=16000)`); the output is 16 kHz too. */
  sampleRate: 16000,
  /** The source is zero-padded to a multiple of 1600 samples (`1600 − len % 1600`, a whole 1600 when already a multiple). */
  sourcePadMultiple: 1600,
  /** The reference, to a multiple of the mel hop (`200 − len % 200`). */
  referencePadMultiple: 200,

  /** mHuBERT-Base (12 layers, 768 wide), output of layer 9, on the source reflect-padded by 40 samples each side. */
  hubertPad: 40,
  contentDim: 768,
  /** 50 Hz HuBERT frames → 80 Hz mel frames: F.interpolate(scale_factor=1.6, mode='nearest'), i.e. source frame ⌊5i/8⌋. */
  contentUpsample: { num: 8, den: 5 },

  /** DIO + StoneMask F0 (pyworld), f0 50…500 Hz, one value per mel hop; interpolated over unvoiced frames, then standardised per clip. */
  f0: { floor: 50, ceil: 500, hop: 200 },

  /** mel_spectrogram_torch: 16 kHz, n_fft 1024, win 800, hop 200, 80 Slaney bins 0–8 kHz, magnitude sqrt(|X|² + 1e-6), ln(max(x, 1e-5)). */
  mel: { ...vocoderMel({ sampleRate: 16000, nFft: 1024, winLength: 800, hop: 200, nMels: 80, fMax: 8000 }), magnitudeEpsilon: 1e-6 } satisfies MelOptions,
  melBins: 80,
  hop: 200,

  /** Reference encoder: 6 transformer layers, 512 wide, read out by 32 learned queries. */
  speakerQueries: 32,
  hidden: 512,

  /** Diffusion (config diffusion.*): linear β from 0.05 to 20, σ 1; Euler probability-flow ODE on x̂₀ predictions. */
  schedule: { betaMin: 0.05, betaMax: 20, sigma: 1 } satisfies VpSdeSchedule,
  /** noro_inference.py: inference_steps=200, sigma=1.2 (x_T = z / 1.2); its comment suggests 150–300 steps and 0.95–1.5. */
  steps: 200,
  maxSteps: 1000,
  noiseDivisor: 1.2,

  maxSourceSeconds: 30,
  maxReferenceSeconds: 20,
  minSeconds: 0.1,
} as const;
