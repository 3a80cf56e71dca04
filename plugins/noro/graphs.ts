// Noro's graph contracts. Dims are tied by name: the source's content features and pitch
// share `frames` with the condition, the estimator's state and the vocoder's mel (80 per
// second of 16 kHz audio); the reference mel has its own `ref_frames`, read down to 32 speaker
// query vectors. EXPORT.md gives the recipe for each file.
import type { GraphContract } from '../../core/plugin/types.ts';
import { bigvganGenerator } from '../bigvgan/declaration.ts';
import { NORO } from './settings.ts';

const { contentDim, melBins, hidden, speakerQueries } = NORO;

export const graphs = {
  content: {
    file: 'content.onnx',
    device: 'gpu',
    memoryMb: 400,
    description:
      'mHuBERT-Base up to layer 9 (fairseq extract_features(output_layer=9)), each frame replaced by its nearest k-means centre (HubertExtractor.extract_content_features before the ×1.6 upsampling)',
    inputs: [{ name: 'waveform', type: 'float32', dims: [1, 'samples'], description: '16 kHz mono, the padded source reflect-padded by 40 samples each side (no normalisation)' }],
    outputs: [{ name: 'features', type: 'float32', dims: [1, 'samples/320', contentDim], description: 'k-means centres, 50 per second' }],
  },
  reference_encoder: {
    file: 'reference_encoder.onnx',
    device: 'gpu',
    memoryMb: 120,
    description: 'ReferenceEncoder: mel → 6 transformer layers → 32 learned queries attend over them (spk_query_emb)',
    inputs: [{ name: 'mel', type: 'float32', dims: [1, 'ref_frames', melBins], description: 'ln-mel of the target voice (mel_spectrogram_torch), frame-major' }],
    outputs: [{ name: 'speaker', type: 'float32', dims: [1, speakerQueries, hidden] }],
  },
  condition: {
    file: 'condition.onnx',
    device: 'gpu',
    memoryMb: 10,
    description: 'content_f0_enc: LayerNorm(768+1) → Conv1d(769 → 512, k3) over [content ; standardised pitch]',
    inputs: [
      { name: 'content', type: 'float32', dims: [1, 'frames', contentDim], description: 'content features at 80 Hz' },
      { name: 'pitch', type: 'float32', dims: [1, 'frames'], description: 'F0, interpolated and standardised over the clip' },
    ],
    outputs: [{ name: 'condition', type: 'float32', dims: [1, 'frames', hidden] }],
  },
  estimator: {
    file: 'estimator.onnx',
    device: 'gpu',
    memoryMb: 400,
    description: 'DiffWaveNet (47 residual layers, 512 wide, cross-attention to the speaker queries every 3rd): x̂₀ from (x_t, t); no mask (batch 1)',
    inputs: [
      { name: 'x', type: 'float32', dims: [1, 'frames', melBins], description: 'the diffusion state x_t' },
      { name: 'condition', type: 'float32', dims: [1, 'frames', hidden] },
      { name: 'speaker', type: 'float32', dims: [1, speakerQueries, hidden] },
      { name: 't', type: 'float32', dims: [1], description: 'diffusion time in (0, 1)' },
    ],
    outputs: [{ name: 'x0', type: 'float32', dims: [1, 'frames', melBins], description: 'predicted clean ln-mel' }],
  },
  vocoder: { ...bigvganGenerator({ hop: NORO.hop, mels: melBins, memoryMb: 60 }), file: 'vocoder.onnx', device: 'gpu' },
} as const satisfies Record<string, GraphContract>;

export type NoroGraph = keyof typeof graphs;
