// Analysis windows. `periodic` (the torch/librosa default for spectral analysis) is the
// first n points of an (n+1)-point symmetric window; Kaldi's Povey window is a symmetric
// Hann raised to 0.85.

export type WindowKind = 'hann' | 'hamming' | 'povey' | 'rectangular';

export function makeWindow(kind: WindowKind, length: number, periodic = true): Float64Array {
  const out = new Float64Array(length);
  if (kind === 'rectangular') return out.fill(1);
  if (length === 1) return out.fill(1);
  const denominator = kind === 'povey' || !periodic ? length - 1 : length;
  for (let i = 0; i < length; i++) {
    const cosine = Math.cos((2 * Math.PI * i) / denominator);
    if (kind === 'hann') out[i] = 0.5 - 0.5 * cosine;
    else if (kind === 'hamming') out[i] = 0.54 - 0.46 * cosine;
    else out[i] = Math.pow(0.5 - 0.5 * cosine, 0.85);
  }
  return out;
}

/** A window of `length` centred in `size` zeros, as torch.stft does when win_length < n_fft. */
export function paddedWindow(kind: WindowKind, length: number, size: number, periodic = true): Float64Array {
  if (length > size) throw new RangeError(`window length ${length} exceeds FFT size ${size}`);
  const out = new Float64Array(size);
  out.set(makeWindow(kind, length, periodic), Math.floor((size - length) / 2));
  return out;
}
