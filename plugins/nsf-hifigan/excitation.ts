// The neural-source-filter excitation: F0 per frame → harmonic sines per sample, as Amphion's
// SineGen does it (modules/neural_source_filter/sine_excitation.py, after Xin Wang's NSF).
// It has no weights, so it is computed here; the generator graph takes the result.
//   fn = f0 · [1..H+1]                     per frame and harmonic
//   rad = (fn / fs) mod 1, rad[0] += φ₀     (φ₀ random per harmonic, 0 for the fundamental)
//   over = upp · cumsum(rad)  → linear ×upp (align_corners=True) → mod 1
//   shift = −1 where `over` wraps between consecutive samples
//   sine = amp · sin(2π · cumsum(rad↑nearest + shift))
//   out = sine · uv + n · (uv · σ + (1 − uv) · amp/3),   uv = f0 > threshold
import { gaussianStream, type Random } from '../../core/generation/rng.ts';

export interface ExcitationOptions {
  readonly sampleRate: number;
  /** Samples per frame (the product of the generator's upsample rates). */
  readonly upp: number;
  /** harmonic_num: the graph takes harmonic_num + 1 sines. */
  readonly harmonics: number;
  readonly amp?: number;
  readonly noiseStd?: number;
  readonly voicedThreshold?: number;
}

export interface ExcitationRandomness {
  /** Initial phase (in cycles) of each of the harmonic_num + 1 sines; the fundamental's is 0. */
  readonly phases: Float32Array;
  /** N(0, 1) per output value ([samples × (harmonics + 1)]), or none for a noiseless excitation. */
  readonly noise?: Float32Array;
}

/** torch.rand for φ₀ (harmonic 0 kept at 0) and torch.randn_like for the noise, from a seeded source. */
export function drawRandomness(random: Random, frames: number, options: Pick<ExcitationOptions, 'upp' | 'harmonics'>): ExcitationRandomness {
  const dim = options.harmonics + 1;
  const phases = Float32Array.from({ length: dim }, (_, h) => (h === 0 ? 0 : random()));
  return { phases, noise: gaussianStream(random)(frames * options.upp * dim) };
}

/** [frames·upp × (harmonics+1)], sample-major: the `[1, samples, harmonics+1]` tensor SineGen returns. */
export function sineExcitation(f0: ArrayLike<number>, options: ExcitationOptions, randomness: ExcitationRandomness): Float32Array {
  const { sampleRate, upp, harmonics } = options;
  const amp = options.amp ?? 0.1;
  const noiseStd = options.noiseStd ?? 0.003;
  const threshold = options.voicedThreshold ?? 0;
  const dim = harmonics + 1;
  const frames = f0.length;
  const samples = frames * upp;
  const out = new Float32Array(samples * dim);
  if (frames === 0) return out;

  for (let h = 0; h < dim; h++) {
    // rad_values = (fn / fs) % 1 in float32, then the initial phase on the first frame
    const rad = new Float64Array(frames);
    for (let t = 0; t < frames; t++) {
      const fn = Math.fround(f0[t]! * (h + 1));
      const r = Math.fround(Math.fround(fn / sampleRate) % 1);
      rad[t] = r < 0 ? Math.fround(r + 1) : r;
    }
    rad[0] = Math.fround(rad[0]! + randomness.phases[h]!);
    // tmp_over_one = cumsum(rad) (in double, then float32) · upp
    const over = new Float64Array(frames);
    let sum = 0;
    for (let t = 0; t < frames; t++) over[t] = Math.fround(Math.fround((sum += rad[t]!)) * upp);
    // F.interpolate(linear, align_corners=True) to frames·upp samples, then % 1
    const ratio = samples > 1 ? (frames - 1) / (samples - 1) : 0;
    const wrapped = (j: number) => {
      const x = j * ratio;
      const i0 = Math.min(Math.floor(x), frames - 1);
      const i1 = Math.min(i0 + 1, frames - 1);
      const v = Math.fround(over[i0]! + (x - i0) * (over[i1]! - over[i0]!));
      return Math.fround(v % 1);
    };
    // sine = sin(2π · cumsum(rad↑nearest + shift)) in double
    let phase = 0;
    let previous = wrapped(0);
    for (let j = 0; j < samples; j++) {
      const current = j === 0 ? previous : wrapped(j);
      const shift = j > 0 && current - previous < 0 ? -1 : 0;
      previous = current;
      phase += rad[Math.floor(j / upp)]! + shift;
      out[j * dim + h] = Math.fround(Math.sin(phase * 2 * Math.PI)) * amp;
    }
  }

  // voiced sines plus noise: σ where voiced, amp/3 where not
  const noise = randomness.noise;
  for (let j = 0; j < samples; j++) {
    const voiced = f0[Math.floor(j / upp)]! > threshold ? 1 : 0;
    const noiseAmp = voiced * noiseStd + (1 - voiced) * (amp / 3);
    for (let h = 0; h < dim; h++) {
      const k = j * dim + h;
      out[k] = out[k]! * voiced + (noise ? noiseAmp * noise[k]! : 0);
    }
  }
  return out;
}
