// The text-to-semantic graphs of the MaskGCT family (MaskGCT's T2S, Metis' stage-1 model
// fine-tuned for TTS): DiffLlamaPrefix over [phones; prompt; target] with 1536-wide hidden
// states and the 8192 semantic codes. Classifier-free guidance acts on hidden states before
// the logit head (maskgct_t2s.py / metis_model.py `reverse_diffusion`), so each model is a
// step graph (both passes, hidden states out) and a small logits graph (the head).
import type { GraphContract } from '../../core/plugin/types.ts';

export const T2S = {
  hidden: 1536,
  semanticVocab: 8192,
} as const;

export const t2sGraphs = {
  t2s_step: {
    file: 't2s_step.onnx',
    device: 'gpu',
    memoryMb: 3000,
    description: 'T2S DiffLlamaPrefix, one mask-predict step: conditional pass on [phones; prompt; target] and unconditional pass on the target alone',
    inputs: [
      { name: 'phone_ids', type: 'int64', dims: [1, 'phones'], description: 'reference phones then target phones (Amphion G2P ids)' },
      { name: 'prompt_ids', type: 'int64', dims: [1, 'prompt'], description: 'semantic tokens of the reference' },
      { name: 'target_ids', type: 'int64', dims: [1, 'target'], description: 'semantic tokens so far; masked positions hold 0' },
      { name: 'target_mask', type: 'bool', dims: [1, 'target'], description: 'true where the token is masked' },
      { name: 't', type: 'float32', dims: [1], description: 'diffusion time in [0, 1]' },
    ],
    outputs: [
      { name: 'hidden_cond', type: 'float32', dims: [1, 'target', T2S.hidden] },
      { name: 'hidden_uncond', type: 'float32', dims: [1, 'target', T2S.hidden] },
    ],
  },
  t2s_logits: {
    file: 't2s_logits.onnx',
    device: 'gpu',
    memoryMb: 50,
    description: 'T2S to_logit head, applied to the guided hidden states',
    inputs: [{ name: 'hidden', type: 'float32', dims: [1, 'target', T2S.hidden] }],
    outputs: [{ name: 'logits', type: 'float32', dims: [1, 'target', T2S.semanticVocab] }],
  },
} as const satisfies Record<string, GraphContract>;
