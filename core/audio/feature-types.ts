// Parameter and result shapes of the feature functions. Every convention a model was
// trained with is expressed by these parameters; the presets (which model uses which)
// are data in the plugins, never here.
import type { PadMode } from './dsp/padding.ts';
import type { WindowKind } from './dsp/windows.ts';

export type { PadMode, WindowKind };

/** A row-major float32 matrix; `dims` are ready to prefix with a batch axis for ONNX. */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly dims: readonly [rows: number, cols: number];
}

/** A complex STFT, laid out [bins][frames] like torch.stft. */
export interface ComplexSpectrogram {
  readonly re: Float32Array;
  readonly im: Float32Array;
  readonly dims: readonly [bins: number, frames: number];
}

export interface StftOptions {
  readonly nFft: number;
  readonly hop: number;
  /** Window length, centred in nFft (default nFft). */
  readonly winLength?: number;
  /** Default 'hann'. */
  readonly window?: WindowKind;
  /** Periodic window (torch/librosa default for analysis). Default true. */
  readonly periodic?: boolean;
  /** Pad nFft/2 on both sides so frame t is centred on sample t·hop (torch center=True). Default true. */
  readonly center?: boolean;
  /** Padding used by `center` and `pad`. Default 'reflect'. */
  readonly padMode?: PadMode;
  /**
   * Extra padding on both sides before framing, e.g. (nFft − hop)/2 with center false as in
   * the mels of many GAN vocoders; the inverse STFT trims the same amount. Default 0.
   */
  readonly pad?: number;
  /** Drop the last frame (some speech-recognition front ends do). Default false. */
  readonly dropLastFrame?: boolean;
}

export interface SpectrogramOptions extends StftOptions {
  /** 1: magnitude, 2: power. Default 1. */
  readonly power?: 1 | 2;
  /** Magnitude as sqrt(re² + im² + ε) (vocoder training code often uses 1e-9). Default 0. */
  readonly magnitudeEpsilon?: number;
}

/**
 * y = (max(log(max(x, floor)), max − dynamicRange) + offset) · scale.
 * E.g. ln with floor 1e-5 (a common GAN-vocoder convention), or log10 with floor 1e-10,
 * dynamicRange 8, offset 4, scale 0.25 (a speech-recognition front end's).
 */
export interface LogCompression {
  readonly type: 'ln' | 'log10';
  readonly floor: number;
  readonly dynamicRange?: number;
  readonly offset?: number;
  readonly scale?: number;
}

/** (x − mean) / std with given statistics (scalars or one per bin), or per-bin statistics of this utterance. */
export type Normalization =
  | { readonly mean: number | readonly number[]; readonly std: number | readonly number[] }
  | { readonly perBin: true; readonly ddof?: 0 | 1; readonly epsilon?: number };

export interface MelFilterOptions {
  readonly sampleRate: number;
  readonly nFft: number;
  readonly nMels: number;
  /** Default 0. */
  readonly fMin?: number;
  /** Default sampleRate/2. */
  readonly fMax?: number;
  /** 'slaney' (librosa default) or 'htk' (torchaudio default). Default 'slaney'. */
  readonly melScale?: 'slaney' | 'htk';
  /** 'slaney' area normalisation (librosa default) or none (torchaudio default). Default 'slaney'. */
  readonly melNorm?: 'slaney' | 'none';
}

export interface MelOptions extends SpectrogramOptions, MelFilterOptions {
  readonly log?: LogCompression;
  readonly normalize?: Normalization;
}

/** Kaldi's fbank (kaldi compute-fbank-feats / torchaudio.compliance.kaldi.fbank), no dither. */
export interface KaldiFbankOptions {
  readonly sampleRate: number;
  readonly numMelBins: number;
  /** Default 25 ms. */
  readonly frameLengthMs?: number;
  /** Default 10 ms. */
  readonly frameShiftMs?: number;
  /** Default 0.97. */
  readonly preemphasis?: number;
  /** Default true. */
  readonly removeDcOffset?: boolean;
  /** Default 'povey'. */
  readonly window?: WindowKind;
  /** Default 20 Hz. */
  readonly lowFreq?: number;
  /** ≤ 0 counts down from Nyquist (Kaldi). Default 0 = Nyquist. */
  readonly highFreq?: number;
  /** Power (true) or magnitude spectrum. Default true. */
  readonly usePower?: boolean;
  /** Default true: log(max(x, logFloor)). */
  readonly useLog?: boolean;
  /** Default float32 epsilon 1.1920928955078125e-7. */
  readonly logFloor?: number;
  /** Kaldi reads 16-bit integers: samples in [-1, 1] are multiplied by this. Default 32768. */
  readonly waveformScale?: number;
}

/** Kaldi fbank, then per-bin normalisation, zero-padding to a multiple of `stack`, and stacking of `stack` consecutive frames. */
export interface StackedFbankOptions extends KaldiFbankOptions {
  readonly normalize?: Normalization;
  readonly stack: number;
}

/** A chromagram in librosa's feature.chroma_stft semantics (power spectrogram, periodic Hann, centred frames). */
export interface ChromaOptions {
  readonly nFft: number;
  readonly hop: number;
  /** Default nFft. */
  readonly winLength?: number;
  readonly nChroma: number;
  /** Deviation from A440 in fractions of a chroma bin (±0.5); estimated from the signal when absent (librosa's tuning=None). */
  readonly tuning?: number;
  /** Padding of the centred frames: 'constant' (zeros; librosa ≥ 0.10) or 'reflect' (librosa < 0.10). Default 'constant'. */
  readonly padMode?: PadMode;
}

/** Pitch (F0) extraction by the autocorrelation method of Praat's "To Pitch (ac)". */
export interface PitchOptions {
  /** Frame step in samples at the signal's rate. Default 256. */
  readonly hop?: number;
  /** Pitch floor, Hz (window = 3 periods of it). Default 50. */
  readonly fmin?: number;
  /** Pitch ceiling, Hz. Default 1100. */
  readonly fmax?: number;
}

export interface PitchTrack {
  /** Hz per frame, 0 = unvoiced. */
  readonly f0: Float32Array;
  readonly hopSeconds: number;
  /** Centre of the first frame, seconds (frames are centred in the signal, as Praat places them). */
  readonly startSeconds: number;
}
