// Whisper model sizes (openai/whisper `model.py` ModelDimensions, as the published
// checkpoints set them). A plugin folder serves one size: its graph contracts fix the
// decoder's layer count and width, which the exported graphs fix too.

export interface WhisperPreset {
  readonly name: string;
  readonly nMels: number;
  /** Decoder layers and width (n_text_layer, n_text_state). */
  readonly layers: number;
  readonly state: number;
  readonly vocab: number;
  readonly multilingual: boolean;
  /** Rough resident memory of each graph once loaded, MiB. */
  readonly memoryMb: { readonly encoder: number; readonly decoder: number };
}

/** Audio context: 30 s windows of 3000 mel frames, 1500 encoder positions. */
export const N_SAMPLES = 480_000;
export const N_FRAMES = 3000;
export const N_AUDIO_CTX = 1500;
/** Text context: the decoder's self-attention cache holds 448 positions. */
export const N_TEXT_CTX = 448;
export const SAMPLE_RATE = 16_000;
export const HOP = 160;

export const PRESETS = {
  tiny: { name: 'tiny', nMels: 80, layers: 4, state: 384, vocab: 51865, multilingual: true, memoryMb: { encoder: 40, decoder: 120 } },
  base: { name: 'base', nMels: 80, layers: 6, state: 512, vocab: 51865, multilingual: true, memoryMb: { encoder: 100, decoder: 230 } },
  small: { name: 'small', nMels: 80, layers: 12, state: 768, vocab: 51865, multilingual: true, memoryMb: { encoder: 380, decoder: 650 } },
  medium: { name: 'medium', nMels: 80, layers: 24, state: 1024, vocab: 51865, multilingual: true, memoryMb: { encoder: 1300, decoder: 1900 } },
  'base.en': { name: 'base.en', nMels: 80, layers: 6, state: 512, vocab: 51864, multilingual: false, memoryMb: { encoder: 100, decoder: 230 } },
} as const satisfies Readonly<Record<string, WhisperPreset>>;
