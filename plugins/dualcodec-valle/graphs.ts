// DualCodec-VALL-E's graph contracts. The AR Llama is one graph used for the prefill (past 0)
// and for every step (tokens 1), with explicit past/present K/V kept resident in the worker;
// positions continue from the past length; batch 1, no padding. The NAR model is one graph
// per pass, the layer being predicted an input. The codec is DualCodec's (its capability).
// EXPORT.md gives the recipe for each file.
import type { GraphContract } from '../../core/plugin/types.ts';
import { llamaArGraph } from '../llama-ar/graph.ts';
import { VALLE } from './settings.ts';

const { ar, nar, quantizers } = VALLE;

export const graphs = {
  ar: llamaArGraph(
    ar,
    'ar.onnx',
    1100,
    'VALL-E AR: LlamaForCausalLM (12 layers, 1024 wide, 16 heads) over text ids, the separator and DualCodec semantic codes (speech codes + 10, text ids + 16394, separator 3)',
  ),
  nar: {
    file: 'nar.onnx',
    device: 'gpu',
    memoryMb: 1700,
    description: 'VALL-E NAR (ValleNAR): one bidirectional pass predicting acoustic layer `layer` of the target from the prompt\'s 8 layers and the target\'s layers below',
    inputs: [
      { name: 'prompt_ids', type: 'int64', dims: [1, quantizers, 'prompt'], description: 'the reference: semantic codes (layer 0, 0..16383) and 7 acoustic layers (0..4095)' },
      { name: 'target_ids', type: 'int64', dims: [1, quantizers, 'target'], description: 'layer 0 = generated semantic codes; layers 1..layer−1 decided; the rest ignored' },
      { name: 'layer', type: 'int64', dims: [1], description: `the acoustic layer to predict, ${nar.firstLayer}..${nar.lastLayer}` },
    ],
    outputs: [{ name: 'logits', type: 'float32', dims: [1, 'target', nar.acousticVocab], description: 'lm_head[layer − 1] over the target positions, cut to the 4096 acoustic ids' }],
  },
} as const satisfies Record<string, GraphContract>;
