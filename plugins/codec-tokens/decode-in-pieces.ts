// Long token sequences are decoded in pieces, so a decoder's activations stay bounded
// whatever the length. Codec decoders are convolution stacks like vocoders, so the
// vocoders' chunking is reused as it is: each piece gets context frames on both sides and
// neighbours cross-fade at the seams. That code slices a float [rows][frames] matrix;
// codebook ids (< 2^24) are exact in float32, so the grid travels through it unchanged.
import { vocodeInPieces, type ChunkedRun, type ChunkOptions } from '../mel-vocoder/chunking.ts';
import type { TokenGrid } from './token-grid.ts';

export type { ChunkOptions };

/** Decodes `grid` with `decode` (frames → frames·hop samples), piece by piece; exactly frames·hop samples. */
export function decodeInPieces(grid: TokenGrid, options: ChunkOptions, decode: (piece: TokenGrid) => Promise<Float32Array>, run: ChunkedRun = {}): Promise<Float32Array> {
  const matrix = { data: Float32Array.from(grid.ids), nMels: grid.layers, frames: grid.frames };
  return vocodeInPieces(matrix, options, (piece) => decode({ layers: piece.nMels, frames: piece.frames, ids: Int32Array.from(piece.data) }), run);
}
