// The audio service plugins and surfaces use (`ctx.audio`). Everything here takes its
// parameters from the caller: model conventions (rates, mel sizes, log variants) are
// presets that live with the plugins. Heavy work runs in worker threads, so every method
// that touches samples is async; arrays passed in are copied, never detached, unless the
// caller hands them over (`consume`).
import type { GriffinLimOptions } from './dsp/griffin-lim.ts';
import type { Segment, SilenceOptions } from './dsp/silence.ts';
import type { WavStream } from './encode/wav-writer.ts';
import type { ChromaOptions, ComplexSpectrogram, FeatureMatrix, KaldiFbankOptions, MelFilterOptions, MelOptions, PitchOptions, PitchTrack, SpectrogramOptions, StackedFbankOptions, StftOptions } from './feature-types.ts';
import type { RenderedImage, SpectrogramImageOptions } from './pictures/spectrogram-image.ts';
import type { WaveformImageOptions } from './pictures/waveform-image.ts';

export type * from './feature-types.ts';
export type { GriffinLimOptions, RenderedImage, Segment, SilenceOptions, SpectrogramImageOptions, WaveformImageOptions, WavStream };

export interface Pcm {
  /** One array per channel (a single one after `mono: true`). */
  readonly channels: Float32Array[];
  readonly sampleRate: number;
}

/** A file on disk or bytes in memory (an uploaded file is either, and is a source as it is). */
export type AudioSource = AudioSourceFacts & ({ readonly path: string; readonly bytes?: undefined } | { readonly bytes: Uint8Array; readonly path?: undefined });

interface AudioSourceFacts {
  /** Sniffed format (wav, mp3, flac, ogg-vorbis, ogg-opus). */
  readonly format: string;
  /** Form field name, for error messages. */
  readonly field?: string;
  readonly limitClass?: 'content' | 'reference';
}

export interface DecodeOptions {
  /** Resample to this rate (torchaudio.functional.resample's numbers). Default: the file's own rate. */
  readonly sampleRate?: number;
  /** Downmix to one channel. Default true. */
  readonly mono?: boolean;
  /** Refuse (413) audio longer than this; defaults to the source's upload-class limit. */
  readonly maxSeconds?: number;
  /** Rejects the call while it still waits for a worker. */
  readonly signal?: AbortSignal;
  /**
   * The caller is done with the source's bytes (an upload read once): they move to the
   * decoding worker instead of being copied, which saves the main thread a copy of the whole
   * file (about 0.4 ms per 440 kB). The source's bytes are left empty, and decoding it, or
   * `readUpload` of it, again throws. A file on disk, or bytes that are a view of a larger
   * buffer, are read as without it.
   */
  readonly consume?: boolean;
}

export interface EncodeOptions {
  /** Bits per second for mp3 (kbit/s) and opus (bit/s); a sensible default otherwise. */
  readonly bitrate?: number;
  /**
   * The caller is done with the samples: they move to the encoding worker instead of being
   * copied, and the caller's arrays are left empty. Saves a copy and, more, keeps the main
   * thread's heap from growing by the audio's size (which is what sets off its full GCs).
   */
  readonly consume?: boolean;
}

export interface EncodedAudio {
  readonly bytes: Uint8Array;
  readonly contentType: string;
  readonly format: string;
}

export interface AudioProbe {
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationSeconds: number;
}

export interface AudioToolkit {
  // ── Formats ────────────────────────────────────────────────────────────
  /** Response formats `encode` supports; `formats[0]` ('wav') is the hub's default. */
  readonly formats: readonly string[];
  /** Formats `decode` reads (sniffed names). */
  readonly decodableFormats: readonly string[];
  /** MIME type of a response format. */
  contentType(format: string): string;

  // ── Decode, resample, encode ──────────────────────────────────────────
  /** An uploaded file → float32 PCM; 400/415 for bad files, 413 past the duration limit. */
  decode(source: AudioSource, options?: DecodeOptions): Promise<Pcm>;
  /**
   * decode (mono, at `mel.sampleRate`) → melSpectrogram in one worker job, so the PCM never
   * crosses to the event loop's thread. `samples`: the decoded length; `mel` is absent when
   * that is under `minSamples` (default 1), for the caller to refuse in its own words.
   */
  decodeMel(source: AudioSource, mel: MelOptions, options?: Omit<DecodeOptions, 'sampleRate' | 'mono'> & { minSamples?: number }): Promise<{ samples: number; mel?: FeatureMatrix }>;
  /** Bytes already in memory (stored audio) → PCM, same rules; `field` names them in errors. */
  decodeBytes(bytes: Uint8Array, format: string, options?: DecodeOptions & { field?: string }): Promise<Pcm>;
  /** Rate, channels and duration of an upload (decodes it, bounded like `decode`). */
  probe(source: AudioSource): Promise<AudioProbe>;
  /** Exact-length resampling with torchaudio.functional.resample's numbers: ceil(n · to / from) samples. */
  resample(signal: Float32Array, from: number, to: number): Promise<Float32Array>;
  /** PCM → bytes in a response format (see `formats`). */
  encode(audio: Float32Array | readonly Float32Array[], sampleRate: number, format: string, options?: EncodeOptions): Promise<EncodedAudio>;
  /** A WAV stream for chunked responses: write `header`, then `chunk(samples)` per block (16-bit unless encoding 'float32'). */
  createWavStream(sampleRate: number, options?: { channels?: number; encoding?: 'pcm16' | 'float32' }): WavStream;

  // ── Features ([bins][frames] unless noted) ─────────────────────────────
  stft(signal: Float32Array, options: StftOptions): Promise<ComplexSpectrogram>;
  /** Overlap-add inverse with window-envelope normalisation; `length` trims/pads the output. */
  istft(spec: ComplexSpectrogram, options: StftOptions & { length?: number }): Promise<Float32Array>;
  /** Magnitude (power 1) or power (2) spectrogram. */
  spectrogram(signal: Float32Array, options: SpectrogramOptions): Promise<FeatureMatrix>;
  /** Mel spectrogram [nMels][frames], with optional log compression and normalisation. */
  melSpectrogram(signal: Float32Array, options: MelOptions): Promise<FeatureMatrix>;
  /** The mel filterbank itself, dense [nMels][nFft/2+1] (small; computed here). */
  melFilterbank(options: MelFilterOptions): FeatureMatrix;
  /** Kaldi fbank, [frames][numMelBins]. */
  kaldiFbank(signal: Float32Array, options: KaldiFbankOptions): Promise<FeatureMatrix>;
  /** Kaldi fbank, per-bin normalised, `stack` frames concatenated: [ceil(frames/stack)][bins·stack]. */
  stackedFbank(signal: Float32Array, options: StackedFbankOptions): Promise<FeatureMatrix>;
  /**
   * Pitch (F0) per frame by Praat's "To Pitch (ac)" method; defaults hop 256 samples,
   * 50–1100 Hz (pass 16 kHz audio for the common evaluation convention). 0 = unvoiced;
   * `medianVoicedF0` (dsp/f0.ts) summarises a track.
   */
  pitch(signal: Float32Array, sampleRate: number, options?: PitchOptions): Promise<PitchTrack>;
  /** Chromagram [nChroma][frames] in librosa's chroma_stft semantics (tuning estimated unless given). */
  chroma(signal: Float32Array, sampleRate: number, options: ChromaOptions): Promise<FeatureMatrix>;

  // ── DSP without weights ───────────────────────────────────────────────
  /** Fast Griffin-Lim from a magnitude (or power) spectrogram [bins][frames]. */
  griffinLim(magnitude: FeatureMatrix, options: GriffinLimOptions): Promise<Float32Array>;
  /** A mel made by `melSpectrogram` with these options → audio (undo log/norm, NNLS to linear, Griffin-Lim). */
  melToAudio(mel: FeatureMatrix, options: MelOptions & GriffinLimOptions): Promise<Float32Array>;
  /** Tempo × speed (0.25–4.0) without changing pitch (WSOLA); length round(n / speed). */
  timeStretch(signal: Float32Array, sampleRate: number, speed: number): Promise<Float32Array>;
  /**
   * Pitch shift by semitones (−24…+24) keeping duration: librosa's effects.pitch_shift (phase
   * vocoder, then resampling). A long signal is made by all workers at once into shared
   * memory: the result may be backed by a SharedArrayBuffer (passed to other jobs and graphs
   * without a copy; it cannot be transferred).
   */
  pitchShift(signal: Float32Array, sampleRate: number, semitones: number): Promise<Float32Array>;

  // ── Levels and segmentation ───────────────────────────────────────────
  /** Integrated loudness, LUFS (BS.1770); −Infinity for silence. */
  loudness(audio: Float32Array | readonly Float32Array[], sampleRate: number): Promise<number>;
  /** Gain to `targetLufs` (default −23) without letting the peak pass `peakCeilingDb` (default −1). */
  normalizeLoudness(audio: Float32Array, sampleRate: number, options?: { targetLufs?: number; peakCeilingDb?: number }): Promise<Float32Array>;
  /** Gain so the peak is `peakDb` dBFS (default −1). */
  normalizePeak(audio: Float32Array, options?: { peakDb?: number }): Promise<Float32Array>;
  /** Leading and trailing silence removed; `start`/`end` locate the kept part in the input. */
  trimSilence(audio: Float32Array, sampleRate: number, options?: SilenceOptions & { padMs?: number }): Promise<{ audio: Float32Array; start: number; end: number }>;
  /** Sample ranges of at most `maxSeconds`, cut at the quietest point before each limit. */
  splitAtSilence(audio: Float32Array, sampleRate: number, options: SilenceOptions & { maxSeconds: number; searchSeconds?: number }): Promise<Segment[]>;

  // ── Pictures ──────────────────────────────────────────────────────────
  renderSpectrogram(audio: Float32Array, sampleRate: number, options?: SpectrogramImageOptions): Promise<RenderedImage>;
  renderWaveform(audio: Float32Array, options?: WaveformImageOptions): Promise<RenderedImage>;
}
