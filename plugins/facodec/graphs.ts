// FACodec's graph contracts, cut where models.md §6 suggests: the encoder with the factorised
// quantisers and the timbre encoder (what `fa_encoder` + `fa_decoder(enc_out, vq=True)` compute
// at encode time), and the decode path alone (`vq2emb` + `inference`), without the training
// heads that make the full decoder checkpoint 98 M parameters. EXPORT.md gives the recipe.
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { FACODEC } from './settings.ts';

const frames = `samples/${FACODEC.hop}`;
const { prosody, content, residual } = FACODEC.layers;

export const graphs = {
  encoder: {
    file: 'encoder.onnx',
    memoryMb: 60,
    description: 'FACodecEncoder → FVQ quantisers (prosody, content, residual on the remainder) and the timbre encoder’s time-mean',
    inputs: [{ name: 'waveform', type: 'float32', dims: [1, 1, 'samples'], description: `16 kHz mono, zero-padded to a whole number of ${FACODEC.hop}-sample hops` }],
    outputs: [
      { name: 'prosody_codes', type: 'int64', dims: [1, prosody, frames], vocab: FACODEC.codebookSize, description: 'vq_id[0:1]' },
      { name: 'content_codes', type: 'int64', dims: [1, content, frames], vocab: FACODEC.codebookSize, description: 'vq_id[1:3]' },
      { name: 'residual_codes', type: 'int64', dims: [1, residual, frames], vocab: FACODEC.codebookSize, description: 'vq_id[3:6], acoustic detail' },
      { name: 'speaker_embedding', type: 'float32', dims: [1, FACODEC.speakerDim], description: 'spk_embs' },
    ],
  },
  decoder: {
    file: 'decoder.onnx',
    memoryMb: 80,
    description: 'FACodecDecoder.vq2emb (codes → vq_post_emb) then inference(vq_post_emb, speaker embedding): timbre-conditioned layer norm and the upsampling decoder',
    inputs: [
      { name: 'prosody_codes', type: 'int64', dims: [1, prosody, 'frames'] },
      { name: 'content_codes', type: 'int64', dims: [1, content, 'frames'] },
      { name: 'residual_codes', type: 'int64', dims: [1, residual, 'frames'], description: 'ignored when use_residual is false (sent as 0)' },
      { name: 'use_residual', type: 'bool', dims: [1], description: 'vq2emb(use_residual_code=...)' },
      { name: 'speaker_embedding', type: 'float32', dims: [1, FACODEC.speakerDim] },
    ],
    outputs: [{ name: 'audio', type: 'float32', dims: [1, 1, `frames*${FACODEC.hop}`], description: '16 kHz waveform in [-1, 1]' }],
  },
} as const satisfies Record<string, GraphContract>;

export type FacodecHandles = Readonly<Record<keyof typeof graphs, GraphHandle>>;

/** The context's graph handles, typed by the names declared above. */
export function handlesOf(ctx: Pick<HandlerContext, 'graphs'>): FacodecHandles {
  for (const name of Object.keys(graphs)) {
    if (ctx.graphs[name] === undefined) throw new Error(`facodec: no handle for graph '${name}'`);
  }
  return ctx.graphs as FacodecHandles;
}
