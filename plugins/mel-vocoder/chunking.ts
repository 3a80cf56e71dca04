// Long mels are vocoded in pieces so a generator's activations stay bounded whatever the
// input length. Each piece carries `contextFrames` of extra mel on both sides, so the
// convolution stack sees real neighbours near a seam (not zero padding); the pieces are
// then joined with a short raised-cosine cross-fade centred on each seam, where both
// pieces are accurate, so no click remains.
//
//   frames:  |------ core 0 ------|------ core 1 ------|--- core 2 ---|
//   piece 1:              [ctx    |      core 1        |    ctx]
//   fade:                    <fade>               <fade>

export interface Mel {
  /** Row-major [nMels, frames]. */
  readonly data: Float32Array;
  readonly nMels: number;
  readonly frames: number;
}

export interface ChunkOptions {
  /** Samples per mel frame (the generator's upsampling factor). */
  readonly hop: number;
  /** Frames each piece contributes (its core). */
  readonly chunkFrames: number;
  /** Extra frames given to each piece on each side, then discarded. */
  readonly contextFrames: number;
  /** Frames over which neighbouring pieces cross-fade, centred on the seam. */
  readonly fadeFrames: number;
}

export interface Piece {
  /** Mel frames fed to the generator: [inputStart, inputEnd). */
  readonly inputStart: number;
  readonly inputEnd: number;
  /** Frames of the output this piece owns before fading: [coreStart, coreEnd). */
  readonly coreStart: number;
  readonly coreEnd: number;
}

/**
 * 1024 frames is 12 s at 22.05 kHz (6 s at 44.1 kHz), so typical inputs run in one piece;
 * 32 frames of context cover the generators' receptive field near a seam, and an 8-frame
 * (93 ms at 22.05 kHz) fade hides what difference remains.
 */
export const DEFAULT_CHUNKING = { chunkFrames: 1024, contextFrames: 32, fadeFrames: 8 } as const;

export function checkChunkOptions(options: ChunkOptions): void {
  const { chunkFrames, contextFrames, fadeFrames, hop } = options;
  if (![chunkFrames, contextFrames, fadeFrames, hop].every((n) => Number.isInteger(n) && n >= 0) || chunkFrames < 1 || hop < 1) {
    throw new RangeError(`chunk options must be whole numbers with chunkFrames and hop >= 1: ${JSON.stringify(options)}`);
  }
  // The fade reaches fadeFrames/2 past a seam; beyond that each piece needs real context.
  if (fadeFrames > contextFrames) throw new RangeError(`fadeFrames (${fadeFrames}) must not exceed contextFrames (${contextFrames})`);
  if (fadeFrames > chunkFrames) throw new RangeError(`fadeFrames (${fadeFrames}) must not exceed chunkFrames (${chunkFrames})`);
}

/** The pieces for a mel of `frames` frames: cores tile [0, frames) exactly, in order. */
export function planPieces(frames: number, options: ChunkOptions): Piece[] {
  checkChunkOptions(options);
  const pieces: Piece[] = [];
  for (let coreStart = 0; coreStart < frames; coreStart += options.chunkFrames) {
    const coreEnd = Math.min(frames, coreStart + options.chunkFrames);
    pieces.push({
      coreStart,
      coreEnd,
      inputStart: Math.max(0, coreStart - options.contextFrames),
      inputEnd: Math.min(frames, coreEnd + options.contextFrames),
    });
  }
  return pieces;
}

/** Frames [start, end) of every mel bin: `mel[:, start:end]`. */
export function sliceFrames(mel: Mel, start: number, end: number): Mel {
  const frames = end - start;
  const data = new Float32Array(mel.nMels * frames);
  for (let bin = 0; bin < mel.nMels; bin++) data.set(mel.data.subarray(bin * mel.frames + start, bin * mel.frames + end), bin * frames);
  return { data, nMels: mel.nMels, frames };
}

/** Weight of the incoming piece at sample i of a fade of n samples: 0 → 1, and (1 − w) + w = 1. */
export function fadeIn(i: number, n: number): number {
  return 0.5 - 0.5 * Math.cos((Math.PI * (i + 0.5)) / n);
}

/**
 * Adds one piece's audio into `out` with its seam weights. `audio` covers the piece's input
 * frames; the piece keeps its core, extended by half a fade into each neighbour.
 */
export function addPiece(out: Float32Array, audio: Float32Array, piece: Piece, options: ChunkOptions, totalFrames: number): void {
  const { hop } = options;
  const fade = options.fadeFrames * hop;
  const half = Math.floor(fade / 2);
  const first = piece.coreStart === 0;
  const last = piece.coreEnd === totalFrames;
  const from = first ? 0 : piece.coreStart * hop - half;
  // A short last core can end inside the fade; nothing is written past the end.
  const to = last ? totalFrames * hop : Math.min(totalFrames * hop, piece.coreEnd * hop - half + fade);
  const offset = piece.inputStart * hop;
  for (let t = from; t < to; t++) {
    let weight = 1;
    if (!first && t < piece.coreStart * hop - half + fade) weight = fadeIn(t - from, fade);
    else if (!last && t >= piece.coreEnd * hop - half) weight = 1 - fadeIn(t - (piece.coreEnd * hop - half), fade);
    out[t]! += weight * audio[t - offset]!;
  }
}

export interface ChunkedRun {
  readonly signal?: AbortSignal;
  /** Called after each piece with the fraction done. */
  readonly onPiece?: (done: number, total: number) => void;
}

/**
 * Vocodes `mel` piece by piece with `generate` (mel frames → `frames * hop` samples) and
 * returns the stitched waveform of exactly `mel.frames * hop` samples.
 */
export async function vocodeInPieces(
  mel: Mel,
  options: ChunkOptions,
  /** `sliced`: the piece is a copy made here, not the caller's mel. */
  generate: (piece: Mel, sliced: boolean) => Promise<Float32Array>,
  run: ChunkedRun = {},
): Promise<Float32Array> {
  const pieces = planPieces(mel.frames, options);
  const generated = async (input: Mel, sliced: boolean) => {
    run.signal?.throwIfAborted();
    const audio = await generate(input, sliced);
    const expected = input.frames * options.hop;
    if (audio.length !== expected) {
      throw new Error(`generator returned ${audio.length} samples for ${input.frames} frames; expected ${expected} (hop ${options.hop})`);
    }
    return audio;
  };
  // A mel that fits one piece is the common case: no slicing, no copy of the result.
  if (pieces.length === 1) {
    const audio = await generated(mel, false);
    run.onPiece?.(1, 1);
    return audio;
  }
  const out = new Float32Array(mel.frames * options.hop);
  for (const [index, piece] of pieces.entries()) {
    addPiece(out, await generated(sliceFrames(mel, piece.inputStart, piece.inputEnd), true), piece, options, mel.frames);
    run.onPiece?.(index + 1, pieces.length);
  }
  return out;
}
