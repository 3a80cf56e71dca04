// Qwen3-TTS graph contracts, one function of the variant. The cut follows
// modeling_qwen3_tts.py: every network call of one frame is one graph call, so both nested
// autoregressive loops (talker → code predictor × 15) are TypeScript next to the sessions.
// Dims are tied by name: `H` (talker width) is the width of every embedding the talker is fed
// (text, codec, code-predictor tables, speaker x-vector); the caches' shapes come from the
// variant's layer/head sizes. Prefill and step are the same graph for both decoders (a past of
// length 0 is the prefill), as in VoxCPM. EXPORT.md gives the recipe.
import type { GraphContract, TensorContract } from '../../core/plugin/types.ts';
import { QWEN3, type Qwen3Variant } from './variants.ts';

export function qwen3Graphs(v: Qwen3Variant) {
  const H = v.talker.hidden;
  const { frameSamples, groups, codebook, talkerVocab } = QWEN3;
  const cache = (name: string, d: Qwen3Variant['talker'], length: string): TensorContract => ({ name, type: 'float32', dims: [d.layers, 1, d.kvHeads, length, d.headDim] });
  const decoder = (d: Qwen3Variant['talker']) => [cache('past_k', d, 'past'), cache('past_v', d, 'past')];
  const presents = (d: Qwen3Variant['talker']) => [cache('present_k', d, 'past+tokens'), cache('present_v', d, 'past+tokens')];

  const loop = {
    text_embed: {
      file: 'text_embed.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.textEmbed,
      description: 'text_projection(text_embedding(ids)): Qwen2 ids → talker inputs (ResizeMLP 2048→2048→H, SiLU)',
      inputs: [{ name: 'text_ids', type: 'int64', dims: [1, 'tokens'] }],
      outputs: [{ name: 'embeds', type: 'float32', dims: [1, 'tokens', H] }],
    },
    codec_embed: {
      file: 'codec_embed.onnx',
      device: 'gpu',
      memoryMb: 20,
      description: "the talker's codec_embedding: group-0 codes, specials, languages and speaker ids → [H]",
      inputs: [{ name: 'codec_ids', type: 'int64', dims: [1, 'tokens'] }],
      outputs: [{ name: 'embeds', type: 'float32', dims: [1, 'tokens', H] }],
    },
    code_predictor_embed: {
      file: 'code_predictor_embed.onnx',
      device: 'gpu',
      memoryMb: 130,
      description: "code_predictor.codec_embedding[group − 1](codes): one of the 15 tables of groups 1..15, each [2048, H]",
      inputs: [
        { name: 'codes', type: 'int64', dims: [1, 'tokens'] },
        { name: 'group', type: 'int64', dims: [1], description: 'the code group, 1..15' },
      ],
      outputs: [{ name: 'embeds', type: 'float32', dims: [1, 'tokens', H] }],
    },
    talker: {
      file: 'talker.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.talker,
      description: 'Qwen3 talker (MRoPE with three equal position streams, QK-norm, GQA) over inputs_embeds and its KV cache; codec_head on the last position',
      inputs: [{ name: 'embeds', type: 'float32', dims: [1, 'tokens', H] }, ...decoder(v.talker)],
      outputs: [
        { name: 'logits', type: 'float32', dims: [1, talkerVocab], description: 'codec_head of the last position: group 0 (ids ≥ 2048 are specials; 2150 ends)' },
        { name: 'hidden', type: 'float32', dims: [1, H], description: 'last position after the final RMSNorm (past_hidden of the code predictor)' },
        ...presents(v.talker),
      ],
    },
    code_predictor: {
      file: 'code_predictor.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.predictor,
      description: 'code predictor: small_to_mtp_projection, 5 decoder layers, lm_head[step] on the last position; prefill [past_hidden, embed(code 0)] at step 0',
      inputs: [
        { name: 'embeds', type: 'float32', dims: [1, 'tokens', H] },
        { name: 'step', type: 'int64', dims: [1], description: 'generation step: which lm_head (0..14) predicts the next group' },
        ...decoder(v.predictor),
      ],
      outputs: [{ name: 'logits', type: 'float32', dims: [1, codebook] }, ...presents(v.predictor)],
    },
  } as const satisfies Record<string, GraphContract>;

  const tokenizerDecoder = {
    tokenizer_decoder: {
      file: 'tokenizer_decoder.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.tokenizer,
      description: 'Qwen3-TTS-Tokenizer-12Hz decoder: split RVQ (1 + 15) → causal conv → 8-layer transformer (window 72) → upsampling → clamp(−1, 1); stateless, so chunks carry left context',
      inputs: [{ name: 'codes', type: 'int64', dims: [1, groups, 'frames'] }],
      outputs: [{ name: 'waveform', type: 'float32', dims: [1, 1, `frames*${frameSamples}`], description: '24 kHz' }],
    },
  } as const satisfies Record<string, GraphContract>;

  const cloning = {
    speaker_encoder: {
      file: 'speaker_encoder.onnx',
      device: 'gpu',
      memoryMb: 40,
      description: 'ECAPA-TDNN speaker encoder on the 128-bin log-mel of the 24 kHz reference → x-vector (enc_dim = H)',
      inputs: [{ name: 'mel', type: 'float32', dims: [1, 'frames', 128] }],
      outputs: [{ name: 'embedding', type: 'float32', dims: [1, H] }],
    },
    tokenizer_encoder: {
      file: 'tokenizer_encoder.onnx',
      device: 'gpu',
      memoryMb: v.memoryMb.tokenizer,
      description: 'Qwen3-TTS-Tokenizer-12Hz encoder (Mimi encoder, first 16 quantizers): reference waveform → codes',
      inputs: [{ name: 'waveform', type: 'float32', dims: [1, 1, 'samples'], description: `24 kHz, right-padded to whole frames of ${frameSamples}` }],
      outputs: [{ name: 'codes', type: 'int64', dims: [1, groups, `samples/${frameSamples}`], vocab: codebook }],
    },
  } as const satisfies Record<string, GraphContract>;

  return { ...loop, ...tokenizerDecoder, ...(v.modes.includes('clone') ? cloning : {}) } as typeof loop & typeof tokenizerDecoder & Partial<typeof cloning>;
}

export type Qwen3Graphs = ReturnType<typeof qwen3Graphs>;

/** The graphs the frame loop runs inside one session (the tokenizer and speaker encoder run around it). */
export const LOOP_GRAPHS = ['talker', 'text_embed', 'codec_embed', 'code_predictor_embed', 'code_predictor'] as const;
