// The prosody streams of Amphion's condition encoder (modules/encoder/condition_encoder.py), as
// the ids its embedding tables read. Computing them here keeps the graphs to lookups:
//   pitch:    f0_to_coarse (utils/f0.py): mel-scale F0 quantised to 1..pitch_bin−1
//   uv:       the SVC dataset's frame_uv: 1 where unvoiced (pitch 0), 0 where voiced
//   loudness: energy = ‖exp(mel)‖₂ per frame (energy_extract_mode "from_mel"),
//             then torch.bucketize over exp(linspace(ln 1e-30, ln 1.5, 255))
import { SVC } from '../settings.ts';

const hzToMel = (f: number) => 1127 * Math.log(1 + f / 700);

export function f0ToCoarse(f0: ArrayLike<number>, bins = SVC.pitchBins, fmin = SVC.f0Min, fmax = SVC.f0Max): BigInt64Array {
  const melMin = hzToMel(fmin);
  const melMax = hzToMel(fmax);
  const out = new BigInt64Array(f0.length);
  for (let i = 0; i < f0.length; i++) {
    let m = hzToMel(f0[i]!);
    if (m > 0) m = ((m - melMin) * (bins - 2)) / (melMax - melMin) + 1;
    if (m <= 1) m = 1;
    if (m > bins - 1) m = bins - 1;
    // np.rint: round half to even
    const r = Math.round(m);
    out[i] = BigInt(Math.abs(m % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r);
  }
  return out;
}

export function unvoicedIds(f0: ArrayLike<number>): BigInt64Array {
  return BigInt64Array.from({ length: f0.length }, (_, i) => (f0[i]! === 0 ? 1n : 0n));
}

/** ‖exp(mel[:, t])‖₂ for a [nMels × frames] bin-major ln-mel. */
export function energyOfMel(mel: Float32Array, nMels: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    for (let b = 0; b < nMels; b++) sum += Math.exp(mel[b * frames + t]!) ** 2;
    out[t] = Math.sqrt(sum);
  }
  return out;
}

let boundaries: Float32Array | undefined;
/** exp(torch.linspace(ln min, ln max, bins − 1)) in float32. */
export function loudnessBoundaries(): Float32Array {
  if (!boundaries) {
    const n = SVC.loudnessBins - 1;
    const lo = Math.log(SVC.loudnessMin);
    const hi = Math.log(SVC.loudnessMax);
    boundaries = Float32Array.from({ length: n }, (_, i) => Math.exp(i < n / 2 ? lo + ((hi - lo) / (n - 1)) * i : hi - ((hi - lo) / (n - 1)) * (n - 1 - i)));
  }
  return boundaries;
}

/** torch.bucketize(x, boundaries) (right=False): the number of boundaries strictly below x. */
export function loudnessIds(energy: ArrayLike<number>): BigInt64Array {
  const edges = loudnessBoundaries();
  const out = new BigInt64Array(energy.length);
  for (let i = 0; i < energy.length; i++) {
    const x = Math.fround(energy[i]!);
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    out[i] = BigInt(lo);
  }
  return out;
}

/** transpose_key (semitones) and the automatic key match (utils/data_utils.py): F0 × factor, zeros stay zero. */
export function shiftF0(f0: Float32Array, factor: number): Float32Array {
  return factor === 1 ? f0 : Float32Array.from(f0, (v) => v * factor);
}
