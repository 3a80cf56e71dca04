// Finding speech in a recording by short-time energy: trimming leading/trailing silence,
// and cutting long audio into pieces no longer than a model accepts, at the quietest
// point near each limit rather than mid-word.

export interface SilenceOptions {
  /** Frames quieter than this (dB relative to the loudest frame) count as silence. Default −40. */
  readonly thresholdDb?: number;
  /** Analysis frame, ms. Default 20. */
  readonly frameMs?: number;
}

/** RMS of each frame in dB relative to the loudest frame (0 dB), and the frame size. */
function frameLevels(x: Float32Array, sampleRate: number, frameMs: number): { levels: Float64Array; frame: number } {
  const frame = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const count = Math.ceil(x.length / frame);
  const levels = new Float64Array(count);
  let max = 0;
  for (let f = 0; f < count; f++) {
    let sum = 0;
    const end = Math.min(x.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) sum += x[i]! * x[i]!;
    levels[f] = sum / Math.max(1, end - f * frame);
    max = Math.max(max, levels[f]!);
  }
  for (let f = 0; f < count; f++) levels[f] = max > 0 && levels[f]! > 0 ? 10 * Math.log10(levels[f]! / max) : -Infinity;
  return { levels, frame };
}

/** Sample range [start, end) without leading/trailing silence, keeping `padMs` of margin. */
export function findNonSilent(x: Float32Array, sampleRate: number, options: SilenceOptions & { padMs?: number } = {}): { start: number; end: number } {
  const { thresholdDb = -40, frameMs = 20, padMs = 50 } = options;
  const { levels, frame } = frameLevels(x, sampleRate, frameMs);
  let first = 0;
  while (first < levels.length && levels[first]! < thresholdDb) first++;
  if (first === levels.length) return { start: 0, end: 0 };
  let last = levels.length - 1;
  while (last > first && levels[last]! < thresholdDb) last--;
  const pad = Math.round((sampleRate * padMs) / 1000);
  return { start: Math.max(0, first * frame - pad), end: Math.min(x.length, (last + 1) * frame + pad) };
}

export interface Segment {
  readonly start: number;
  readonly end: number;
}

/**
 * Cuts [0, n) into segments of at most `maxSeconds`; each cut falls at the quietest frame
 * in the last `searchSeconds` before the limit (default: a third of maxSeconds, ≤ 5 s).
 */
export function splitAtSilence(x: Float32Array, sampleRate: number, options: SilenceOptions & { maxSeconds: number; searchSeconds?: number }): Segment[] {
  const { maxSeconds, frameMs = 20 } = options;
  if (!(maxSeconds > 0)) throw new RangeError(`maxSeconds must be positive, got ${maxSeconds}`);
  const searchSeconds = options.searchSeconds ?? Math.min(5, maxSeconds / 3);
  const { levels, frame } = frameLevels(x, sampleRate, frameMs);
  const maxFrames = Math.max(1, Math.floor((maxSeconds * sampleRate) / frame));
  const searchFrames = Math.max(1, Math.min(maxFrames - 1, Math.round((searchSeconds * sampleRate) / frame)));
  const segments: Segment[] = [];
  let startFrame = 0;
  while ((levels.length - startFrame) * frame > maxSeconds * sampleRate) {
    const limit = startFrame + maxFrames;
    let cut = limit, quietest = Infinity;
    for (let f = limit; f >= limit - searchFrames && f > startFrame; f--) {
      const level = levels[f] ?? -Infinity;
      if (level < quietest) (quietest = level), (cut = f);
    }
    segments.push({ start: startFrame * frame, end: Math.min(x.length, cut * frame) });
    startFrame = cut;
  }
  segments.push({ start: startFrame * frame, end: x.length });
  return segments;
}
