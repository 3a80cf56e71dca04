// DualCodec's graph contracts, split as models.md §5 suggests so that decoding never loads
// the large semantic front:
//   w2v_bert  facebook/w2v-bert-2.0 up to hidden_states[17] (≈410 M): encode only
//   encoder   semantic ConvNeXt encoder + semantic VQ + ConvNeXt decoder, DAC encoder, and
//             the residual VQ on (DAC latent − semantic latent): encode only
//   decoder   both codebooks' embeddings, ConvNeXt decoder, DAC decoder: all decode needs
// EXPORT.md gives the recipe for each file.
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { w2vBertGraph } from '../w2v-bert/front-end.ts';
import { DUALCODEC, type DualcodecVariant } from './variants.ts';

export function dualcodecGraphs(variant: DualcodecVariant) {
  const { hop, acousticLayers, acousticVocab } = variant;
  const frames = `samples/${hop}`;
  return {
    // The same network and cut as MaskGCT's (both read hidden_states[17]); one exported file serves both.
    w2v_bert: w2vBertGraph,
    encoder: {
      file: 'encoder.onnx',
      device: 'gpu',
      memoryMb: variant.memoryMb.encoder,
      description: `DualCodec ${variant.modelId} encode: normalise (Emilia w2v-BERT stats) → ConvNeXt encoder → semantic VQ → ConvNeXt decoder; DAC encoder; residual VQ of the difference`,
      inputs: [
        { name: 'waveform', type: 'float32', dims: [1, 1, 'samples'], description: `24 kHz mono, zero-padded to a whole number of ${hop}-sample hops` },
        {
          name: 'semantic_features',
          type: 'float32',
          dims: [1, frames, DUALCODEC.w2vBertDim],
          description: `w2v-BERT hidden_states[17], not normalised, averaged over ${variant.semanticDownsample} consecutive 50 Hz frames (avg_pool1d): one row per codec frame`,
        },
      ],
      outputs: [
        { name: 'semantic_codes', type: 'int64', dims: [1, 1, frames], vocab: DUALCODEC.semanticVocab },
        { name: 'acoustic_codes', type: 'int64', dims: [1, acousticLayers, frames], vocab: acousticVocab, description: 'every residual layer; the first n_quantizers − 1 are kept' },
      ],
    },
    decoder: {
      file: 'decoder.onnx',
      device: 'gpu',
      memoryMb: variant.memoryMb.decoder,
      description: `DualCodec ${variant.modelId} decode_from_codes, cut to the exact length: frames × ${hop} samples`,
      inputs: [
        { name: 'semantic_codes', type: 'int64', dims: [1, 1, 'frames'] },
        { name: 'acoustic_codes', type: 'int64', dims: [1, acousticLayers, 'frames'], description: 'layers from n_acoustic on are ignored (sent as 0)' },
        { name: 'n_acoustic', type: 'int64', dims: [1], description: `acoustic layers in use, 0..${acousticLayers} (n_quantizers − 1; 0 decodes the semantic layer alone)` },
      ],
      outputs: [{ name: 'audio', type: 'float32', dims: [1, 1, `frames*${hop}`], description: '24 kHz waveform in [-1, 1]' }],
    },
  } as const satisfies Record<string, GraphContract>;
}

export type DualcodecGraph = keyof ReturnType<typeof dualcodecGraphs>;

export type DualcodecHandles = Readonly<Record<DualcodecGraph, GraphHandle>>;

/** The context's graph handles, typed by the names declared above. */
export function handlesOf(ctx: Pick<HandlerContext, 'graphs'>): DualcodecHandles {
  for (const name of ['w2v_bert', 'encoder', 'decoder'] as const) {
    if (ctx.graphs[name] === undefined) throw new Error(`dualcodec: no handle for graph '${name}'`);
  }
  return ctx.graphs as DualcodecHandles;
}
