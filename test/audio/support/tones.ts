import { spectrogram } from '../../../core/audio/dsp/stft.ts';

// Small signal helpers for the audio tests.

export function tone(options: { sampleRate: number; seconds: number; frequency: number; amplitude?: number }): Float32Array {
  const { sampleRate, seconds, frequency, amplitude = 0.5 } = options;
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return out;
}

/** Frequency (1 Hz resolution) of the strongest component in [low, high] over the middle second. */
export function dominantFrequency(x: Float32Array, sampleRate: number, low = 50, high = 4000): number {
  const frame = new Float32Array(sampleRate);
  const start = Math.max(0, Math.floor((x.length - sampleRate) / 2));
  frame.set(x.subarray(start, start + sampleRate));
  const { data } = spectrogram(frame, { nFft: sampleRate, hop: sampleRate, center: false, window: 'hann' });
  let best = low;
  for (let f = low; f <= high; f++) if (data[f]! > data[best]!) best = f;
  return best;
}

/** Best normalised correlation between a and b over lags in [-maxLag, maxLag]. */
export function bestCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { lag: number; correlation: number } {
  let best = { lag: 0, correlation: -Infinity };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let dot = 0, ea = 0, eb = 0;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
      if (i + lag < 0) continue;
      dot += a[i]! * b[i + lag]!;
      ea += a[i]! * a[i]!;
      eb += b[i + lag]! * b[i + lag]!;
    }
    const c = dot / Math.sqrt(ea * eb || 1);
    if (c > best.correlation) best = { lag, correlation: c };
  }
  return best;
}

export function rms(x: ArrayLike<number>, start = 0, end = x.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / Math.max(1, end - start));
}
