// VoxCPM's graph contracts, one function of the variant's sizes. The cut follows the
// inference loop of voxcpm.py `_inference`: every network call of one patch is one graph call,
// so the loop (prefill, per-patch CFM with CFG-Zero*, stop, the two KV-cached LM steps) is
// TypeScript running next to the sessions. Projections that only ever follow one network are
// folded into it (enc_to_lm_proj into loc_enc, scale_emb into text_embed); where the
// generations differ in how two streams are fused (VoxCPM2 concatenates), the fusion is
// inside a graph, so the loop is the same for all three. EXPORT.md gives the recipe.
import type { GraphContract, TensorContract } from '../../core/plugin/types.ts';
import type { VoxcpmVariant } from './variants.ts';

export function voxcpmGraphs(v: VoxcpmVariant) {
  const { hidden: h, layers, kvHeads, headDim } = v.lm;
  const P = v.patchSize;
  const D = v.latentDim;
  const cache = (name: string, n: number, length: string): TensorContract => ({ name, type: 'float32', dims: [n, 1, kvHeads, length, headDim] });
  const lmStep = (n: number, first: readonly TensorContract[]): Pick<GraphContract, 'inputs' | 'outputs'> => ({
    inputs: [...first, cache('past_k', n, 'past'), cache('past_v', n, 'past')],
    outputs: [
      { name: 'hidden', type: 'float32', dims: [1, 'tokens', h], description: 'after the final RMSNorm' },
      cache('present_k', n, 'past+tokens'),
      cache('present_v', n, 'past+tokens'),
    ],
  });
  return {
    vae_encoder: {
      file: 'vae_encoder.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.vae,
      description: 'AudioVAE encoder (causal convolutions, fc_mu): waveform → 25 Hz latents',
      inputs: [{ name: 'waveform', type: 'float32', dims: [1, 1, 'samples'], description: `${v.encoder.sampleRate} Hz mono, left-padded to whole patches` }],
      outputs: [{ name: 'latent', type: 'float32', dims: [1, D, `samples/${v.encoder.hop}`] }],
    },
    vae_decoder: {
      file: 'vae_decoder.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.vae,
      description: 'AudioVAE decoder: latents → waveform',
      inputs: [{ name: 'latent', type: 'float32', dims: [1, D, 'frames'] }],
      outputs: [{ name: 'waveform', type: 'float32', dims: [1, 1, `frames*${v.decoder.hop}`], description: `${v.decoder.sampleRate} Hz` }],
    },
    text_embed: {
      file: 'text_embed.onnx',
      device: 'gpu',
      memoryMb: 300,
      description: 'base LM embed_tokens × scale_emb (muP)',
      inputs: [{ name: 'text_ids', type: 'int64', dims: [1, 'tokens'] }],
      outputs: [{ name: 'embeds', type: 'float32', dims: [1, 'tokens', h] }],
    },
    loc_enc: {
      file: 'loc_enc.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.local,
      description: 'LocEnc (non-causal MiniCPM over CLS + one patch) then enc_to_lm_proj: one LM input per patch',
      inputs: [{ name: 'patches', type: 'float32', dims: [1, 'patches', P, D] }],
      outputs: [{ name: 'embeds', type: 'float32', dims: [1, 'patches', h] }],
    },
    base_lm: {
      file: 'base_lm.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.lm,
      description: 'MiniCPM-4 base LM (causal, LongRoPE, muP depth scaling, GQA): prefill or one step over the KV cache',
      ...lmStep(layers, [{ name: 'embeds', type: 'float32', dims: [1, 'tokens', h] }]),
    },
    fsq: {
      file: 'fsq.onnx',
      device: 'gpu',
      memoryMb: 10,
      description: 'Scalar quantization: Linear → tanh → round(x·9)/9 → Linear',
      inputs: [{ name: 'hidden', type: 'float32', dims: [1, 'tokens', h] }],
      outputs: [{ name: 'quantized', type: 'float32', dims: [1, 'tokens', h] }],
    },
    residual_lm: {
      file: 'residual_lm.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.residual,
      description: 'Residual acoustic LM (causal MiniCPM, no vocabulary) over the fused base-LM output and patch embedding',
      ...lmStep(v.residualLayers, [
        { name: 'lm_hidden', type: 'float32', dims: [1, 'tokens', h], description: 'base LM output (FSQ at audio positions)' },
        { name: 'feat_embeds', type: 'float32', dims: [1, 'tokens', h], description: 'patch embeddings, zero at text positions' },
      ]),
    },
    dit_condition: {
      file: 'dit_condition.onnx',
      device: 'gpu',
      memoryMb: 20,
      description: 'lm_to_dit_proj(lm) + res_to_dit_proj(residual) (VoxCPM2: concatenated)',
      inputs: [
        { name: 'lm_hidden', type: 'float32', dims: [1, h] },
        { name: 'residual_hidden', type: 'float32', dims: [1, h] },
      ],
      outputs: [{ name: 'mu', type: 'float32', dims: [1, v.muDim] }],
    },
    loc_dit: {
      file: 'loc_dit.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.local,
      description: 'LocDiT velocity v(x, t | mu, previous patch); the CFG branches are stacked on the batch axis',
      inputs: [
        { name: 'x', type: 'float32', dims: ['batch', D, P] },
        { name: 'mu', type: 'float32', dims: ['batch', v.muDim], description: 'zero for the unconditional branch' },
        { name: 't', type: 'float32', dims: ['batch'], description: 'flow time in [0, 1] (the sinusoidal embedding scales it by 1000)' },
        { name: 'cond', type: 'float32', dims: ['batch', D, P], description: 'the previous patch' },
        { name: 'dt', type: 'float32', dims: ['batch'], description: '0 unless the DiT was trained in mean mode' },
      ],
      outputs: [{ name: 'velocity', type: 'float32', dims: ['batch', D, P] }],
    },
    stop_head: {
      file: 'stop_head.onnx',
      device: 'gpu',
      memoryMb: 10,
      description: 'stop_head(SiLU(stop_proj(lm_hidden))): class 1 ends generation',
      inputs: [{ name: 'lm_hidden', type: 'float32', dims: [1, h] }],
      outputs: [{ name: 'logits', type: 'float32', dims: [1, 2] }],
    },
  } as const satisfies Record<string, GraphContract>;
}

export type VoxcpmGraphs = ReturnType<typeof voxcpmGraphs>;
export type VoxcpmGraph = keyof VoxcpmGraphs;

/** The graphs the patch loop runs inside one session (the VAE runs before and after it). */
export const LOOP_GRAPHS = ['text_embed', 'loc_enc', 'base_lm', 'fsq', 'residual_lm', 'dit_condition', 'loc_dit', 'stop_head'] as const satisfies readonly VoxcpmGraph[];
