// DualCodec decoding (`decode_from_codes`): the semantic codes' embedding through the
// ConvNeXt decoder, plus the acoustic layers' embeddings, into the DAC decoder. Long
// grids are decoded in pieces; the result is cut to the original length when known.
import type { HandlerContext } from '../../core/plugin/context.ts';
import { decodeInPieces } from '../codec-tokens/decode-in-pieces.ts';
import { trimTo } from '../codec-tokens/hop-length.ts';
import { layerOf, type TokenGrid } from '../codec-tokens/token-grid.ts';
import { floatsOf, int64Tensor } from '../../core/onnx/tensors.ts';
import { handlesOf } from './graphs.ts';
import type { DualcodecVariant } from './variants.ts';

export async function decodeGrid(
  ctx: Pick<HandlerContext, 'graphs' | 'signal' | 'progress'>,
  variant: DualcodecVariant,
  grid: TokenGrid,
  length: number | undefined,
): Promise<Float32Array> {
  const graphs = handlesOf(ctx);
  const layers = variant.acousticLayers;
  const used = grid.layers - 1;
  const audio = await decodeInPieces(
    grid,
    { ...variant.chunking, hop: variant.hop },
    async (piece) => {
      // acoustic_codes [1, n_codebooks, T]: the layers in use, then zeros the graph ignores
      const acoustic = new Int32Array(layers * piece.frames);
      acoustic.set(piece.ids.subarray(piece.frames));
      const out = await graphs.decoder.run(
        {
          semantic_codes: int64Tensor(layerOf(piece, 0), [1, 1, piece.frames]),
          acoustic_codes: int64Tensor(acoustic, [1, layers, piece.frames]),
          n_acoustic: int64Tensor([used], [1]),
        },
        { signal: ctx.signal },
      );
      return floatsOf(out.audio, 'decoder.audio');
    },
    { signal: ctx.signal, onPiece: (done, total) => ctx.progress(done / total, `decoded piece ${done} of ${total}`, 'decode') },
  );
  return trimTo(audio, length);
}
