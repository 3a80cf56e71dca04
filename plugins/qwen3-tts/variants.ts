// The five Qwen3-TTS 12 Hz checkpoints as data. One pipeline and one set of graph contracts
// serve them all; what differs is the talker's width, which graphs exist (Base models carry a
// speaker encoder and the tokenizer's encoder for cloning) and which request fields each
// checkpoint understands. Each is its own registry entry (its own weight folder), named in
// `plugin`. Sources: QwenLM/Qwen3-TTS qwen_tts/core/models/configuration_qwen3_tts.py,
// qwen_tts/inference/qwen3_tts_model.py; shipped config.json values as quoted in
// shared/design/models.md §9.

export type Qwen3Mode = 'voice' | 'clone' | 'instructions';

export interface Qwen3Variant {
  readonly id: string;
  /** The hub plugin (registry entry) that serves this checkpoint. */
  readonly plugin: string;
  readonly title: string;
  /** Hugging Face repository of the released checkpoint. */
  readonly checkpoint: string;
  /** 'voice': built-in speakers; 'clone': reference audio (ICL or x-vector); 'instructions': instruct text. */
  readonly modes: readonly Qwen3Mode[];
  /** Talker (Qwen3 decoder, MRoPE): width, layers, KV heads, head size. */
  readonly talker: { readonly hidden: number; readonly layers: number; readonly kvHeads: number; readonly headDim: number };
  /** Code predictor (5-layer decoder; its cache restarts every frame). */
  readonly predictor: { readonly hidden: number; readonly layers: number; readonly kvHeads: number; readonly headDim: number };
  /** The reference's `non_streaming_mode` default for this checkpoint's generate_* wrapper. */
  readonly textInPrefill: boolean;
  /** Rough resident size of each graph once loaded, MiB (float32). */
  readonly memoryMb: { readonly talker: number; readonly textEmbed: number; readonly predictor: number; readonly tokenizer: number };
}

const TALKER_06B = { hidden: 1024, layers: 28, kvHeads: 8, headDim: 128 } as const;
const TALKER_17B = { hidden: 2048, layers: 28, kvHeads: 8, headDim: 128 } as const;
const PREDICTOR = { hidden: 1024, layers: 5, kvHeads: 8, headDim: 128 } as const;
const MEMORY_06B = { talker: 1800, textEmbed: 1300, predictor: 600, tokenizer: 800 } as const;
const MEMORY_17B = { talker: 5600, textEmbed: 1300, predictor: 700, tokenizer: 800 } as const;

export const VARIANTS = {
  '0.6B-CustomVoice': {
    id: '0.6B-CustomVoice', plugin: 'qwen3-tts', title: 'Qwen3-TTS 0.6B CustomVoice', checkpoint: 'Qwen/Qwen3-TTS-12Hz-0.6B-CustomVoice',
    // qwen3_tts_model.py generate_custom_voice: "for 0b6 model, instruct is not supported".
    modes: ['voice'], talker: TALKER_06B, predictor: PREDICTOR, textInPrefill: true, memoryMb: MEMORY_06B,
  },
  '0.6B-Base': {
    id: '0.6B-Base', plugin: 'qwen3-tts-base', title: 'Qwen3-TTS 0.6B Base', checkpoint: 'Qwen/Qwen3-TTS-12Hz-0.6B-Base',
    modes: ['clone'], talker: TALKER_06B, predictor: PREDICTOR, textInPrefill: false, memoryMb: MEMORY_06B,
  },
  '1.7B-CustomVoice': {
    id: '1.7B-CustomVoice', plugin: 'qwen3-tts-1b7', title: 'Qwen3-TTS 1.7B CustomVoice', checkpoint: 'Qwen/Qwen3-TTS-12Hz-1.7B-CustomVoice',
    modes: ['voice', 'instructions'], talker: TALKER_17B, predictor: PREDICTOR, textInPrefill: true, memoryMb: MEMORY_17B,
  },
  '1.7B-Base': {
    id: '1.7B-Base', plugin: 'qwen3-tts-1b7-base', title: 'Qwen3-TTS 1.7B Base', checkpoint: 'Qwen/Qwen3-TTS-12Hz-1.7B-Base',
    modes: ['clone'], talker: TALKER_17B, predictor: PREDICTOR, textInPrefill: false, memoryMb: MEMORY_17B,
  },
  '1.7B-VoiceDesign': {
    id: '1.7B-VoiceDesign', plugin: 'qwen3-tts-voicedesign', title: 'Qwen3-TTS 1.7B VoiceDesign', checkpoint: 'Qwen/Qwen3-TTS-12Hz-1.7B-VoiceDesign',
    modes: ['instructions'], talker: TALKER_17B, predictor: PREDICTOR, textInPrefill: true, memoryMb: MEMORY_17B,
  },
} as const satisfies Readonly<Record<string, Qwen3Variant>>;

export const ALL_VARIANTS: readonly Qwen3Variant[] = Object.values(VARIANTS);

/** The variants that offer a mode, as "plugin (checkpoint)" for error details. */
export function variantsWith(mode: Qwen3Mode): string {
  return ALL_VARIANTS.filter((v) => v.modes.includes(mode)).map((v) => `'${v.plugin}' (${v.id})`).join(' or ');
}

/** What every checkpoint shares: ids, rates, sizes of the codec, sampling defaults. */
export const QWEN3 = {
  sampleRate: 24000,
  /** Samples per codec frame (12.5 Hz). */
  frameSamples: 1920,
  /** Code groups per frame: group 0 from the talker, 1..15 from the code predictor. */
  groups: 16,
  codebook: 2048,
  /** Talker vocabulary: the 2048 codes of group 0, then specials, languages and speakers. */
  talkerVocab: 3072,
  /** Qwen2 text vocabulary and the text embedding's width (before text_projection). */
  textVocab: 151936,
  text: { imStart: 151644, imEnd: 151645, ttsPad: 151671, ttsBos: 151672, ttsEos: 151673 },
  codec: { pad: 2148, bos: 2149, eos: 2150, think: 2154, nothink: 2155, thinkBos: 2156, thinkEos: 2157 },
  /** talker_config.codec_language_id (lower-case names as the reference takes them). */
  languages: {
    english: 2050, german: 2053, spanish: 2054, chinese: 2055, japanese: 2058,
    french: 2061, korean: 2064, russian: 2069, italian: 2070, portuguese: 2071,
  } as Readonly<Record<string, number>>,
  dialects: { beijing_dialect: 2074, sichuan_dialect: 2062 } as Readonly<Record<string, number>>,
  /** CustomVoice speakers: talker_config.spk_id and spk_is_dialect. */
  speakers: {
    vivian: { id: 3065, language: 'chinese' },
    serena: { id: 3066, language: 'chinese' },
    uncle_fu: { id: 3010, language: 'chinese' },
    dylan: { id: 2878, language: 'chinese', dialect: 'beijing_dialect' },
    eric: { id: 2875, language: 'chinese', dialect: 'sichuan_dialect' },
    ryan: { id: 3061, language: 'english' },
    aiden: { id: 2861, language: 'english' },
    ono_anna: { id: 2873, language: 'japanese' },
    sohee: { id: 2864, language: 'korean' },
  } as Readonly<Record<string, { readonly id: number; readonly language: string; readonly dialect?: string }>>,
  /** Talker sampling (wrapper hard defaults) and the code predictor's ("subtalker"). */
  talkerSampling: { temperature: 0.9, topK: 50, topP: 1.0, repetitionPenalty: 1.05 },
  predictorSampling: { temperature: 0.9, topK: 50, topP: 1.0 },
  maxNewTokens: 2048,
  maxNewTokensRange: [1, 4096] as const,
  minNewTokens: 2,
  /** Tokenizer decoder: chunk and left context of `chunked_decode`. */
  decodeChunk: 300,
  leftContext: 25,
  /** Streaming: frames before the first audio chunk, then frames per chunk. */
  firstChunkFrames: 8,
  streamChunkFrames: 25,
  /** Reference clip bounds (seconds) for cloning. */
  referenceSeconds: [1, 30] as const,
  /** Longest text one request may carry (characters). */
  maxTextChars: 5000,
  maxInstructionChars: 1000,
} as const;

/** ISO 639-1 codes clients send (OpenAI-style), as the language names the model takes. */
export const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  en: 'english', de: 'german', es: 'spanish', zh: 'chinese', ja: 'japanese', fr: 'french', ko: 'korean', ru: 'russian', it: 'italian', pt: 'portuguese',
};

/** Languages the request may name ('auto' lets the model choose). */
export const LANGUAGE_NAMES = ['auto', ...Object.keys(QWEN3.languages)] as const;
