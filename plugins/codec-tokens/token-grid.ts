// Codec tokens arrive from clients as JSON: untrusted nested arrays. A grid is checked
// whole before any id reaches a graph: its shape (layers × frames, within bounds, every
// layer as long as the first), then every id (an integer inside its layer's codebook).
// The first violation is answered 400, naming the field, the position and the allowed
// range, so a client can find the bad id without guessing.
import { errors } from '../../core/errors.ts';

export interface Codebook {
  /** Ids lie in [0, size). */
  readonly size: number;
  /** How the message names it: 'semantic', 'acoustic layer 2', 'content'. */
  readonly name: string;
}

export interface GridSpec {
  /** The field as the client wrote it: 'tokens', 'content_tokens'. */
  readonly field: string;
  readonly minLayers: number;
  readonly maxLayers: number;
  /** What the layers are, for the message: '1 semantic + up to 7 acoustic'. */
  readonly layersHint: string;
  /** Codebook of layer `layer` (0-based). */
  codebook(layer: number): Codebook;
  /** Most frames accepted, so a payload's size is bounded whatever its bytes. */
  readonly maxFrames: number;
  /** What the frame limit amounts to: '600 s at 12.5 frames/s'. */
  readonly maxFramesReason: string;
}

/** Checked ids, layer-major: `ids[layer * frames + frame]`. */
export interface TokenGrid {
  readonly layers: number;
  readonly frames: number;
  readonly ids: Int32Array;
}

/** One layer of a grid, as a view (no copy). */
export function layerOf(grid: TokenGrid, layer: number): Int32Array {
  return grid.ids.subarray(layer * grid.frames, (layer + 1) * grid.frames);
}

/** The grid as the JSON a client receives: one array of ids per layer. */
export function gridToJson(grid: TokenGrid): number[][] {
  return Array.from({ length: grid.layers }, (_, layer) => Array.from(layerOf(grid, layer)));
}

/** Builds a grid from per-layer id rows a graph produced (trusted, already in range). */
export function gridFromRows(rows: readonly ArrayLike<number>[]): TokenGrid {
  const frames = rows[0]?.length ?? 0;
  const ids = new Int32Array(rows.length * frames);
  rows.forEach((row, layer) => ids.set(Array.from(row), layer * frames));
  return { layers: rows.length, frames, ids };
}

const layersText = (spec: GridSpec) => (spec.minLayers === spec.maxLayers ? `${spec.minLayers}` : `${spec.minLayers} to ${spec.maxLayers}`);

/** A short rendering of a bad value for a message. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

export function readTokenGrid(value: unknown, spec: GridSpec): TokenGrid {
  const { field } = spec;
  const shape = `must be layers × frames: an array of ${layersText(spec)} arrays of integer ids (${spec.layersHint})`;
  if (!Array.isArray(value)) throw errors.invalidField(field, `${shape}; found ${shown(value)}`);
  if (value.length > 0 && value.every((v) => typeof v === 'number')) {
    throw errors.invalidField(field, `${shape}; found a flat list of ids: a single layer is written [[...]]`);
  }
  if (value.length < spec.minLayers || value.length > spec.maxLayers) {
    throw errors.invalidField(field, `has ${value.length} layer${value.length === 1 ? '' : 's'}; expected ${layersText(spec)} (${spec.layersHint})`);
  }

  // Shape first, so a huge or ragged payload is refused before any id is read.
  value.forEach((row, layer) => {
    if (!Array.isArray(row)) throw errors.invalidField(`${field}[${layer}]`, `must be an array of integer ids (the ${spec.codebook(layer).name} layer); found ${shown(row)}`);
  });
  const rows = value as unknown[][];
  const frames = rows[0]!.length;
  if (frames > spec.maxFrames) throw errors.invalidField(field, `has ${frames} frames, more than the limit of ${spec.maxFrames} (${spec.maxFramesReason})`);
  if (frames === 0) throw errors.invalidField(field, 'has no frames; at least 1 is needed');
  rows.forEach((row, layer) => {
    if (row.length !== frames) {
      throw errors.invalidField(`${field}[${layer}]`, `has ${row.length} frames, but ${field}[0] has ${frames}; every layer needs the same number of frames`);
    }
  });

  const ids = new Int32Array(rows.length * frames);
  rows.forEach((row, layer) => {
    const { size, name } = spec.codebook(layer);
    for (let frame = 0; frame < frames; frame++) {
      const id = row[frame];
      if (typeof id !== 'number' || !Number.isInteger(id)) {
        throw errors.invalidField(`${field}[${layer}][${frame}]`, `must be an integer id of the ${name} codebook (0..${size - 1}); found ${shown(id)}`);
      }
      if (id < 0 || id >= size) throw errors.invalidField(`${field}[${layer}][${frame}]`, `id ${id} is outside the ${name} codebook (0..${size - 1})`);
      ids[layer * frames + frame] = id;
    }
  });
  return { layers: rows.length, frames, ids };
}

/** Streams decoded together must cover the same frames. */
export function checkSameFrames(streams: readonly { readonly field: string; readonly grid: TokenGrid }[]): number {
  const [first, ...rest] = streams;
  if (!first) return 0;
  for (const other of rest) {
    if (other.grid.frames !== first.grid.frames) {
      throw errors.invalidField(other.field, `has ${other.grid.frames} frames, but ${first.field} has ${first.grid.frames}; every stream needs the same number of frames`);
    }
  }
  return first.grid.frames;
}
