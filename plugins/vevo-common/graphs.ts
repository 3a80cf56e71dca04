// Graph contracts of the acoustic half (flow matching + vocoder), shared by Vevo and VevoSing.
// `cond` is tied by name: fm_cond's output is fm_estimator's input. The FM transformer runs
// without a padding mask (batch 1, every frame valid), so the mask is not an input.
import type { GraphContract, TensorContract } from '../../core/plugin/types.ts';
import { VEVO_ACOUSTIC } from './settings.ts';

const { melBins, fmHidden, condVocab, vocosBins } = VEVO_ACOUSTIC;

export const acousticGraphs = {
  fm_cond: {
    file: 'fm_cond.onnx',
    device: 'gpu',
    memoryMb: 40,
    description: 'FlowMatchingTransformer.cond_emb: vq8192 content-style tokens → frame conditions',
    inputs: [{ name: 'cond_ids', type: 'int64', dims: [1, 'frames'], description: 'timbre reference tokens then target tokens' }],
    outputs: [{ name: 'cond', type: 'float32', dims: [1, 'frames', fmHidden] }],
  },
  fm_estimator: {
    file: 'fm_estimator.onnx',
    device: 'gpu',
    memoryMb: 1400,
    description: 'FlowMatchingTransformer.diff_estimator (DiffLlama, adaptive RMSNorm on the time embedding): velocity of the normalised mel',
    inputs: [
      { name: 'x', type: 'float32', dims: [1, 'frames', melBins], description: 'prompt mel then x_t (conditional pass), or x_t alone (unconditional)' },
      { name: 't', type: 'float32', dims: [1], description: 'flow time in [0, 1]' },
      { name: 'cond', type: 'float32', dims: [1, 'frames', fmHidden], description: 'fm_cond output, or zeros for the unconditional pass' },
    ],
    outputs: [{ name: 'velocity', type: 'float32', dims: [1, 'frames', melBins] }],
  },
  vocoder: {
    file: 'vocoder.onnx',
    device: 'gpu',
    memoryMb: 1050,
    description: 'Vocos backbone + ISTFT head up to the spectrum; the inverse STFT runs in TypeScript',
    inputs: [{ name: 'mel', type: 'float32', dims: [1, melBins, 'frames'], description: 'normalised 24 kHz mel' }],
    outputs: [
      { name: 'real', type: 'float32', dims: [1, vocosBins, 'frames'], description: 'mag·cos(phase), mag = min(exp(log_mag), 100)' },
      { name: 'imag', type: 'float32', dims: [1, vocosBins, 'frames'], description: 'mag·sin(phase)' },
    ],
  },
} as const satisfies Record<string, GraphContract>;
