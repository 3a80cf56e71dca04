// The chroma filter bank in librosa's filters.chroma semantics (defaults ctroct 5,
// octwidth 2, norm 2, base_c true): each FFT bin spreads over the chroma bins by a
// Gaussian in (circular) chroma distance as wide as the bin's own spacing in chroma units;
// columns are L2-normalised, then weighted by a Gaussian over octaves centred on octave 5
// (≈ 880 Hz), and rows rolled so bin 0 is C rather than A.

/** librosa.hz_to_octs: octaves above A0 (27.5 Hz at tuning 0), tuning in fractions of a bin. */
export function hzToOctaves(hz: number, tuning: number, binsPerOctave: number): number {
  const a440 = 440 * Math.pow(2, tuning / binsPerOctave);
  return Math.log2(hz / (a440 / 16));
}

/** [nChroma][nFft/2+1] weights, row-major, in float64. */
export function chromaFilterbank(sampleRate: number, nFft: number, nChroma: number, tuning: number): Float64Array {
  const ctroct = 5, octwidth = 2;
  // Centre frequencies of bins 1..nFft−1 in chroma units; bin 0 (DC) gets a fictitious
  // position 1.5 octaves below bin 1, as librosa sets it.
  const frqbins = new Float64Array(nFft);
  for (let k = 1; k < nFft; k++) frqbins[k] = nChroma * hzToOctaves((k * sampleRate) / nFft, tuning, nChroma);
  frqbins[0] = frqbins[1]! - 1.5 * nChroma;
  const width = new Float64Array(nFft);
  for (let k = 0; k < nFft - 1; k++) width[k] = Math.max(frqbins[k + 1]! - frqbins[k]!, 1);
  width[nFft - 1] = 1;

  const bins = Math.floor(nFft / 2) + 1;
  const half = Math.round(nChroma / 2);
  const out = new Float64Array(nChroma * bins);
  const column = new Float64Array(nChroma);
  for (let k = 0; k < bins; k++) {
    let norm = 0;
    for (let c = 0; c < nChroma; c++) {
      // Distance from chroma bin c, wrapped into [−nChroma/2, nChroma/2) (np.remainder semantics).
      const shifted = frqbins[k]! - c + half + 10 * nChroma;
      const d = shifted - nChroma * Math.floor(shifted / nChroma) - half;
      column[c] = Math.exp(-0.5 * ((2 * d) / width[k]!) ** 2);
      norm += column[c]! ** 2;
    }
    norm = Math.sqrt(norm);
    const octaveWeight = Math.exp(-0.5 * ((frqbins[k]! / nChroma - ctroct) / octwidth) ** 2);
    const roll = 3 * Math.floor(nChroma / 12); // base_c: row c takes what was row c + roll
    for (let c = 0; c < nChroma; c++) out[c * bins + k] = (column[(c + roll) % nChroma]! / norm) * octaveWeight;
  }
  return out;
}
