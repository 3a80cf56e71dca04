// DualCodec's published checkpoints, as data. Sources: jiaqili3/DualCodec (mirrored in
// Amphion models/codec/dualcodec/) conf/model/dualcodec_12hz_16384_4096_8vq.yaml,
// dualcodec_25hz_16384_1024_12vq.yaml, infer/dualcodec/{get_model.py,
// inference_with_semantic.py}; summarised in shared/design/models.md §5.
//
// The two differ in the DAC hop (1920 vs 960 samples), so each decoder graph turns a frame
// into a different number of samples: another graph contract, hence one plugin per variant
// (`dualcodec` and `dualcodec-25hz`), as BigVGAN's 512x checkpoint has its own plugin.

export interface DualcodecVariant {
  /** Name in responses and in the model id ('12hz_v1'). */
  readonly id: '12hz' | '25hz';
  readonly modelId: string;
  readonly checkpoint: string;
  /** Hub plugin that serves this variant. */
  readonly plugin: string;
  /** DAC encoder strides' product: samples per codec frame at 24 kHz. */
  readonly hop: number;
  /** Codec frames per second (24000 / hop). */
  readonly frameRate: number;
  /** w2v-BERT's 50 Hz frames averaged into one codec frame (`semantic_downsample_factor`). */
  readonly semanticDownsample: number;
  /** Residual VQ layers after the semantic one (`n_codebooks`). */
  readonly acousticLayers: number;
  readonly acousticVocab: number;
  /** Decoder pieces for long inputs: about 40 s each; context covers the decoders' reach. */
  readonly chunking: { readonly chunkFrames: number; readonly contextFrames: number; readonly fadeFrames: number };
  readonly memoryMb: { readonly encoder: number; readonly decoder: number };
}

export const DUALCODEC = {
  sampleRate: 24000,
  /** w2v-BERT input rate. */
  semanticSampleRate: 16000,
  semanticVocab: 16384,
  w2vBertDim: 1024,
  /** Longest audio a token payload may describe (the content upload limit's default). */
  maxSeconds: 600,
} as const;

export const DUALCODEC_VARIANTS = {
  '12hz': {
    id: '12hz',
    modelId: '12hz_v1',
    checkpoint: 'dualcodec_12hz_16384_4096.safetensors',
    plugin: 'dualcodec',
    hop: 1920,
    frameRate: 12.5,
    semanticDownsample: 4,
    acousticLayers: 7,
    acousticVocab: 4096,
    chunking: { chunkFrames: 512, contextFrames: 64, fadeFrames: 4 },
    memoryMb: { encoder: 180, decoder: 230 },
  },
  '25hz': {
    id: '25hz',
    modelId: '25hz_v1',
    checkpoint: 'dualcodec_25hz_16384_1024.safetensors',
    plugin: 'dualcodec-25hz',
    hop: 960,
    frameRate: 25,
    semanticDownsample: 2,
    acousticLayers: 11,
    acousticVocab: 1024,
    chunking: { chunkFrames: 1024, contextFrames: 64, fadeFrames: 8 },
    memoryMb: { encoder: 200, decoder: 280 },
  },
} as const satisfies Record<string, DualcodecVariant>;

/** Layers a token grid may have: the semantic one plus up to every acoustic one. */
export const maxQuantizers = (variant: DualcodecVariant) => 1 + variant.acousticLayers;
