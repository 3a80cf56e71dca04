// FACodec as the README runs it, one graph call each way:
//   encode  enc_out = fa_encoder(wav); vq_post_emb, vq_id, _, _, spk_embs = fa_decoder(enc_out, vq=True)
//   decode  fa_decoder.inference(fa_decoder.vq2emb(vq_id, use_residual_code), spk_embs)
// The clip is zero-padded to whole hops first and the decoded audio cut back to its length.
// Voice conversion swaps the speaker embedding (and usually drops the residual codes).
import type { HandlerContext } from '../../core/plugin/context.ts';
import { decodeInPieces } from '../codec-tokens/decode-in-pieces.ts';
import { padToHop, trimTo } from '../codec-tokens/hop-length.ts';
import { gridFromRows, layerOf, type TokenGrid } from '../codec-tokens/token-grid.ts';
import { boolTensor, float32Tensor, floatsOf, idsOf, int64Tensor } from '../../core/onnx/tensors.ts';
import { handlesOf } from './graphs.ts';
import { FACODEC } from './settings.ts';

export interface FactorizedCodes {
  readonly prosody: TokenGrid;
  readonly content: TokenGrid;
  /** Residual (acoustic detail) codes; without them the decoder uses prosody and content alone. */
  readonly residual?: TokenGrid;
  readonly speaker: Float32Array;
}

export interface Encoded extends FactorizedCodes {
  readonly residual: TokenGrid;
  /** Samples of the clip before padding. */
  readonly length: number;
}

type Run = Pick<HandlerContext, 'graphs' | 'signal' | 'progress'>;

export async function encodeClip(ctx: Run, clip16k: Float32Array): Promise<Encoded> {
  const { samples, frames } = padToHop(clip16k, FACODEC.hop);
  const out = await handlesOf(ctx).encoder.run({ waveform: float32Tensor(samples, [1, 1, samples.length]) }, { signal: ctx.signal });
  // [1, layers, frames] → one row per layer
  const grid = (name: 'prosody_codes' | 'content_codes' | 'residual_codes') => {
    const ids = idsOf(out[name], `encoder.${name}`);
    return gridFromRows(Array.from({ length: ids.length / frames }, (_, layer) => ids.subarray(layer * frames, (layer + 1) * frames)));
  };
  return {
    prosody: grid('prosody_codes'),
    content: grid('content_codes'),
    residual: grid('residual_codes'),
    speaker: floatsOf(out.speaker_embedding, 'encoder.speaker_embedding'),
    length: clip16k.length,
  };
}

/** Codes (all covering the same frames) → 16 kHz audio, cut to `length` when given. */
export async function decodeCodes(ctx: Run, codes: FactorizedCodes, length: number | undefined): Promise<Float32Array> {
  const { prosody: p, content: c, residual: r } = FACODEC.layers;
  const frames = codes.prosody.frames;
  // vq_id order, [prosody; content; residual] = 6 rows, so long inputs can be cut into pieces together
  const stacked = new Int32Array((p + c + r) * frames);
  stacked.set(codes.prosody.ids);
  stacked.set(codes.content.ids, p * frames);
  if (codes.residual) stacked.set(codes.residual.ids, (p + c) * frames);
  const rows = (piece: TokenGrid, from: number, count: number) => piece.ids.subarray(from * piece.frames, (from + count) * piece.frames);
  const decoder = handlesOf(ctx).decoder;
  const audio = await decodeInPieces(
    { layers: p + c + r, frames, ids: stacked },
    { ...FACODEC.chunking, hop: FACODEC.hop },
    async (piece) => {
      const out = await decoder.run(
        {
          prosody_codes: int64Tensor(layerOf(piece, 0), [1, p, piece.frames]),
          content_codes: int64Tensor(rows(piece, p, c), [1, c, piece.frames]),
          residual_codes: int64Tensor(rows(piece, p + c, r), [1, r, piece.frames]),
          use_residual: boolTensor(Uint8Array.of(codes.residual ? 1 : 0), [1]),
          speaker_embedding: float32Tensor(codes.speaker, [1, FACODEC.speakerDim]),
        },
        { signal: ctx.signal },
      );
      return floatsOf(out.audio, 'decoder.audio');
    },
    { signal: ctx.signal, onPiece: (done, total) => ctx.progress(done / total, `decoded piece ${done} of ${total}`, 'decode') },
  );
  return trimTo(audio, length);
}
