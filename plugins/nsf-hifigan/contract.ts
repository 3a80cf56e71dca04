// The NSF-HiFiGAN generator graph: HiFi-GAN's upsampling stack with the harmonic source
// merged in at every stage (Amphion models/vocoders/gan/generator/nsfhifigan.py). The
// source's sine generator has no weights and runs in TypeScript (excitation.ts); the graph
// starts at its learned part, the linear merge of the sines (SourceModuleHnNSF.l_linear + tanh).
import type { GraphContract } from '../../core/plugin/types.ts';

export interface NsfGeneratorShape {
  /** Channels of the frame input: mel bins for the vocoder, latent channels inside VitsSVC. */
  readonly channels: number;
  /** Samples per frame (product of the upsample rates). */
  readonly hop: number;
  /** harmonic_num of the checkpoint: the excitation has harmonic_num + 1 sines. */
  readonly harmonics: number;
  readonly memoryMb?: number;
  readonly file?: string;
  readonly description?: string;
}

export function nsfGenerator(shape: NsfGeneratorShape) {
  return {
    file: shape.file ?? 'generator.onnx',
    description: shape.description ?? 'NSF-HiFiGAN generator, weight norm folded in (export/export_nsf_hifigan.py)',
    memoryMb: shape.memoryMb ?? 60,
    inputs: [
      { name: 'mel', type: 'float32', dims: [1, shape.channels, 'frames'], description: 'frames to vocode ([1, channels, frames])' },
      {
        name: 'excitation',
        type: 'float32',
        dims: [1, `frames*${shape.hop}`, shape.harmonics + 1],
        description: 'SineGen output: harmonic sines (plus noise) per sample, computed from F0 in excitation.ts',
      },
    ],
    outputs: [{ name: 'audio', type: 'float32', dims: [1, 1, `frames*${shape.hop}`], description: 'waveform in (-1, 1)' }],
  } as const satisfies GraphContract;
}

/** Amphion's NSF-HiFiGAN vocoder recipe (egs/vocoder/gan/nsfhifigan, config/vocoder.json): 24 kHz, 100 mels, hop 256, 8 harmonics. */
export const NSF_VOCODER = { sampleRate: 24000, hop: 256, nMels: 100, harmonics: 8 } as const;
