// F0 on a vocoder's frame grid from the hub's pitch tracker (ctx.audio.pitch: Praat's
// autocorrelation method, what Amphion's `pitch_extractor: parselmouth` runs). Praat centres
// its frames in the signal; a mel frame t (n_fft window, (n_fft − hop)/2 reflect padding,
// center=False) is centred on sample t·hop + hop/2. Each mel frame takes the pitch frame
// nearest in time, so the two grids line up whatever Praat's offset (Amphion pairs them
// index by index and pads or cuts the end).
import type { HandlerContext } from '../../core/plugin/context.ts';

export interface F0Grid {
  readonly sampleRate: number;
  readonly hop: number;
  readonly frames: number;
  /** Pitch range, Hz (Amphion's f0_min / f0_max: 50–1100). */
  readonly fmin?: number;
  readonly fmax?: number;
}

export function alignTrack(track: { f0: Float32Array; hopSeconds: number; startSeconds?: number }, grid: F0Grid): Float32Array {
  const out = new Float32Array(grid.frames);
  const n = track.f0.length;
  if (n === 0) return out;
  const start = track.startSeconds ?? 0;
  for (let t = 0; t < grid.frames; t++) {
    const centre = (t * grid.hop + grid.hop / 2) / grid.sampleRate;
    const k = Math.min(n - 1, Math.max(0, Math.round((centre - start) / track.hopSeconds)));
    out[t] = track.f0[k]!;
  }
  return out;
}

/** F0 in Hz per frame of the grid, 0 where unvoiced. */
export async function f0OnGrid(ctx: Pick<HandlerContext, 'audio'>, samples: Float32Array, grid: F0Grid): Promise<Float32Array> {
  const track = await ctx.audio.pitch(samples, grid.sampleRate, { hop: grid.hop, fmin: grid.fmin ?? 50, fmax: grid.fmax ?? 1100 });
  return alignTrack(track, grid);
}
