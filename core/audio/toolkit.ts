// The audio service plugins and surfaces use (`ctx.audio`): decode uploads to float32
// PCM at a requested rate, encode results, probe durations. The implementation lives
// in the modules beside this one; this file holds the shape.

export interface Pcm {
  /** One array per channel (a single one after `mono: true`). */
  readonly channels: Float32Array[];
  readonly sampleRate: number;
}

export interface AudioSource {
  readonly path: string;
  /** Sniffed format (wav, mp3, flac, ogg-vorbis, ogg-opus). */
  readonly format: string;
  /** Form field name, for error messages. */
  readonly field?: string;
  readonly limitClass?: 'content' | 'reference';
}

export interface DecodeOptions {
  /** Resample to this rate (high-quality resampler). Default: the file's own rate. */
  readonly sampleRate?: number;
  /** Downmix to one channel. Default true. */
  readonly mono?: boolean;
  /** Refuse (413) audio longer than this; defaults to the source's upload-class limit. */
  readonly maxSeconds?: number;
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
  /** Response formats `encode` supports, default first. */
  readonly formats: readonly string[];
  decode(source: AudioSource, options?: DecodeOptions): Promise<Pcm>;
  encode(audio: Float32Array | readonly Float32Array[], sampleRate: number, format: string): Promise<EncodedAudio>;
  probe(source: AudioSource): Promise<AudioProbe>;
  contentType(format: string): string;
}
