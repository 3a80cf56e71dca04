// Integrated loudness per ITU-R BS.1770-4 / EBU R128 (K-weighting, 400 ms blocks with 75 %
// overlap, absolute gate −70 LUFS, relative gate −10 LU), and gain to a target loudness or
// peak. K-weighting biquads are derived for any rate from the standard's analogue shelf
// (+4 dB above ~1.5 kHz) and high-pass (~38 Hz), as pyloudnorm does.

interface Biquad {
  b: [number, number, number];
  a: [number, number];
}

function highShelf(rate: number): Biquad {
  const gain = 4, q = 1 / Math.SQRT2, fc = 1500;
  const A = Math.pow(10, gain / 40), w0 = (2 * Math.PI * fc) / rate, alpha = Math.sin(w0) / (2 * q), cos = Math.cos(w0);
  const a0 = A + 1 - (A - 1) * cos + 2 * Math.sqrt(A) * alpha;
  return {
    b: [(A * (A + 1 + (A - 1) * cos + 2 * Math.sqrt(A) * alpha)) / a0, (-2 * A * (A - 1 + (A + 1) * cos)) / a0, (A * (A + 1 + (A - 1) * cos - 2 * Math.sqrt(A) * alpha)) / a0],
    a: [(2 * (A - 1 - (A + 1) * cos)) / a0, (A + 1 - (A - 1) * cos - 2 * Math.sqrt(A) * alpha) / a0],
  };
}

function highPass(rate: number): Biquad {
  const q = 0.5, fc = 38, w0 = (2 * Math.PI * fc) / rate, alpha = Math.sin(w0) / (2 * q), cos = Math.cos(w0);
  const a0 = 1 + alpha;
  return { b: [(1 + cos) / 2 / a0, -(1 + cos) / a0, (1 + cos) / 2 / a0], a: [(-2 * cos) / a0, (1 - alpha) / a0] };
}

function filter(x: Float32Array, { b, a }: Biquad): Float64Array {
  const y = new Float64Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = b[0] * x[i]! + b[1] * x1 + b[2] * x2 - a[0] * y1 - a[1] * y2;
    x2 = x1;
    x1 = x[i]!;
    y2 = y1;
    y1 = v;
    y[i] = v;
  }
  return y;
}

/** Integrated loudness in LUFS over all channels; −Infinity for silence or < 400 ms. */
export function integratedLoudness(channels: readonly Float32Array[], sampleRate: number): number {
  const block = Math.round(sampleRate * 0.4), step = Math.round(sampleRate * 0.1);
  const length = channels[0]?.length ?? 0;
  if (length < block) return -Infinity;
  const weighted = channels.map((c) => {
    const shelved = filter(c, highShelf(sampleRate));
    return filter(Float32Array.from(shelved), highPass(sampleRate));
  });
  const powers: number[] = [];
  for (let start = 0; start + block <= length; start += step) {
    let sum = 0;
    for (const w of weighted) for (let i = start; i < start + block; i++) sum += w[i]! * w[i]!;
    powers.push(sum / block);
  }
  const lufs = (p: number) => -0.691 + 10 * Math.log10(p);
  const gated = (threshold: number) => powers.filter((p) => lufs(p) > threshold);
  const absolute = gated(-70);
  if (absolute.length === 0) return -Infinity;
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
  const relative = gated(lufs(mean(absolute)) - 10).filter((p) => lufs(p) > -70);
  return relative.length ? lufs(mean(relative)) : -Infinity;
}

export function peakOf(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const c of channels) for (let i = 0; i < c.length; i++) peak = Math.max(peak, Math.abs(c[i]!));
  return peak;
}

export function applyGain(channels: readonly Float32Array[], gain: number): Float32Array[] {
  return channels.map((c) => c.map((v) => v * gain));
}

/** Gain so the peak sits at `peakDb` dBFS (silence is returned unchanged). */
export function normalizePeak(channels: readonly Float32Array[], peakDb = -1): Float32Array[] {
  const peak = peakOf(channels);
  return peak > 0 ? applyGain(channels, Math.pow(10, peakDb / 20) / peak) : channels.map((c) => c.slice());
}

/** Gain to `targetLufs`, then limited so the peak stays under `peakCeilingDb` (a plain gain, never a compressor). */
export function normalizeLoudness(channels: readonly Float32Array[], sampleRate: number, targetLufs = -23, peakCeilingDb = -1): { channels: Float32Array[]; gainDb: number; loudness: number } {
  const loudness = integratedLoudness(channels, sampleRate);
  if (!Number.isFinite(loudness)) return { channels: channels.map((c) => c.slice()), gainDb: 0, loudness };
  let gainDb = targetLufs - loudness;
  const peak = peakOf(channels);
  if (peak > 0) gainDb = Math.min(gainDb, peakCeilingDb - 20 * Math.log10(peak));
  return { channels: applyGain(channels, Math.pow(10, gainDb / 20)), gainDb, loudness };
}
