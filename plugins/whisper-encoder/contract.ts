// The graph contract of a Whisper audio encoder used as a feature extractor (openai/whisper
// `model.py` AudioEncoder, `embed_audio`): one 30 s window of log-mel in, the encoder's last
// hidden states out, 1500 positions at 50 per second. Plugins that read Whisper features
// (VevoSing's Coco tokenizers, the SVC family) declare it under their own graph name:
//   graphs: { whisper_encoder: whisperEncoderGraph(WHISPER_ENCODERS.medium) }
// `batch` ties the two tensors; the mel frames and positions are fixed by the model.
import type { GraphContract } from '../../core/plugin/types.ts';
import { N_AUDIO_CTX, N_FRAMES, PRESETS } from '../whisper/presets.ts';

export interface WhisperEncoderSize {
  readonly name: string;
  readonly nMels: number;
  /** n_audio_state: the width of each 50 Hz feature. */
  readonly dim: number;
  readonly memoryMb: number;
}

/** Sizes with their published dims (openai/whisper ModelDimensions); medium is VevoSing's (models.md §A8). */
export const WHISPER_ENCODERS = {
  base: { name: 'base', nMels: PRESETS.base.nMels, dim: PRESETS.base.state, memoryMb: 100 },
  small: { name: 'small', nMels: PRESETS.small.nMels, dim: PRESETS.small.state, memoryMb: 380 },
  medium: { name: 'medium', nMels: PRESETS.medium.nMels, dim: PRESETS.medium.state, memoryMb: 1300 },
} as const satisfies Readonly<Record<string, WhisperEncoderSize>>;

export function whisperEncoderGraph(size: WhisperEncoderSize, file = `whisper_${size.name}_encoder.onnx`) {
  return {
    file,
    device: 'gpu',
    memoryMb: size.memoryMb,
    description: `Whisper ${size.name} audio encoder (AudioEncoder: 2 convs, ${size.dim}-wide transformer, ln_post): last hidden states, 50 per second`,
    inputs: [{ name: 'mel', type: 'float32', dims: ['batch', size.nMels, N_FRAMES], description: 'Whisper log-mel of one 30 s window (pad_or_trim, log_mel_spectrogram)' }],
    outputs: [{ name: 'features', type: 'float32', dims: ['batch', N_AUDIO_CTX, size.dim], description: 'one feature every 320 samples at 16 kHz' }],
  } as const satisfies GraphContract;
}
