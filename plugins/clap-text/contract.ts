// CLAP's text branch (RoBERTa-base tower, pooler, projection MLP to 512), the conditioning
// of AudioLDM (its own CLAP) and PicoAudio (LAION-CLAP 630k-audioset): one graph contract.
import type { GraphContract } from '../../core/plugin/types.ts';

/** CLAP's joint text–audio space. */
export const TEXT_EMBED = 512;

export const clapTextEncoder = {
  file: 'text_encoder.onnx',
  description: 'ClapTextModelWithProjection: RoBERTa-base tower, pooler, projection to 512 (not normalised: the pipeline does it).',
  inputs: [
    { name: 'input_ids', type: 'int64', dims: ['batch', 'tokens'], description: 'RoBERTa BPE ids with <s> … </s>' },
    { name: 'attention_mask', type: 'int64', dims: ['batch', 'tokens'] },
  ],
  outputs: [{ name: 'text_embeds', type: 'float32', dims: ['batch', TEXT_EMBED] }],
  memoryMb: 500,
  batch: { axis: 'batch' },
} as const satisfies GraphContract;
