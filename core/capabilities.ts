// Capabilities are functions a plugin offers to the rest of the hub (an API surface or
// another plugin) without either side knowing the other's internals.
import type { MelOptions } from './audio/feature-types.ts';
import type { AudioSource } from './audio/toolkit.ts';
import type { HandlerContext } from './plugin/context.ts';

// The registry's types live with HandlerContext (each refers to the other); re-exported here
// so callers find every capability type in one place.
export type { CapabilityProvider, CapabilityRegistry } from './plugin/context.ts';

export interface TtsRequest {
  readonly text: string;
  /** A built-in voice name or a stored reference voice id. */
  readonly voice?: string;
  /** An ad-hoc or stored reference clip (a sniffed upload or stored file) with its transcript when known. */
  readonly reference?: AudioSource & { readonly text?: string };
  readonly language?: string;
  readonly speed?: number;
  readonly instructions?: string;
  readonly sampling?: Readonly<Record<string, number>>;
  /** Seed for the model's random choices, so a generation can be repeated (used when `supports` has 'seed'). */
  readonly seed?: number;
  /** Which variant of the model to run, e.g. a size such as '0.6B' (a hint: used when `supports` has 'variant'). */
  readonly variant?: string;
}

export interface TtsCapability {
  readonly voices: () => Promise<readonly { id: string; name: string; language?: string }[]>;
  /**
   * Optional request fields this capability uses: sampling names (`temperature`, `top_p`,
   * `repetition_penalty`, `max_new_tokens`, `chunk_length`, `cfg_value`), `instructions`,
   * `speed` (handled natively; otherwise callers time-stretch), `reference` (clones voices),
   * `seed` (repeatable sampling) and `variant` (model size or flavour hint).
   */
  readonly supports?: readonly string[];
  readonly synthesize: (request: TtsRequest, ctx: HandlerContext) => Promise<{ audio: Float32Array; sampleRate: number }>;
  /**
   * Optional: the same kind of speech, yielded in consecutive pieces while it is made (a model
   * that decodes as it generates). Surfaces use it for both streamed and whole answers, so the
   * two carry the same samples and a stream's first audio leaves before the rest exists.
   */
  readonly stream?: (request: TtsRequest, ctx: HandlerContext) => AsyncIterable<{ audio: Float32Array; sampleRate: number }>;
}

export interface AsrCapability {
  readonly transcribe: (
    audio: { samples: Float32Array; sampleRate: number; language?: string },
    ctx: HandlerContext,
  ) => Promise<{ text: string; language?: string }>;
}

/** A log-mel spectrogram, row-major [nMels, frames]. */
export interface VocoderMel {
  readonly data: Float32Array;
  readonly nMels: number;
  readonly frames: number;
}

export interface VocoderCapability {
  /**
   * The exact mel this vocoder takes with the weights it has now (rate, bins, hop, window,
   * filterbank, log): callers compute it with `ctx.audio` or check a mel they have against it.
   */
  readonly melOptions: (ctx: HandlerContext) => Promise<MelOptions>;
  readonly vocode: (mel: VocoderMel, ctx: HandlerContext, conditioning?: VocoderConditioning) => Promise<{ audio: Float32Array; sampleRate: number }>;
  /** Set by vocoders driven by F0 as well as the mel (neural source-filter): `vocode` then needs `conditioning.f0`. */
  readonly needsF0?: boolean;
}

/** What an F0-driven vocoder takes besides the mel: F0 in Hz per mel frame, 0 where unvoiced. */
export interface VocoderConditioning {
  readonly f0?: Float32Array;
}

/** Mono audio at its own rate. */
export interface MonoAudio {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

export interface VoiceConversionRequest {
  /** What is said or sung: its words, timing and (for singing converters) melody are kept. */
  readonly source: MonoAudio;
  /** Whose voice the result should have. */
  readonly reference: MonoAudio;
  /** Sampler steps where the model has them (flow matching, diffusion); the provider's default otherwise. */
  readonly steps?: number;
  /** Seed for the model's random choices, so a conversion can be repeated. */
  readonly seed?: number;
}

/**
 * Converts the voice of a recording to a reference voice (kind `voice-conversion`). `domain`
 * says what it is made for: 'singing' converters keep the source's melody, 'speech' ones
 * keep its words and timing; a caller that needs singing prefers 'singing' providers.
 */
export interface VoiceConversionCapability {
  readonly domain: 'singing' | 'speech';
  readonly convert: (request: VoiceConversionRequest, ctx: HandlerContext) => Promise<{ audio: Float32Array; sampleRate: number }>;
}

/** Audio with its channels (one array per channel) at its own rate. */
export interface MultiChannelAudio {
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
}

/**
 * Splits a mix into its vocals and the rest (kind `source-separation`), each with the mix's
 * channels and length, at the rate the provider says.
 */
export interface SourceSeparationCapability {
  readonly separate: (mix: MultiChannelAudio, ctx: HandlerContext) => Promise<{ vocals: Float32Array[]; accompaniment: Float32Array[]; sampleRate: number }>;
}
