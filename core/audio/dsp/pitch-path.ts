// The best path through per-frame pitch candidates (Boersma 1993, §4; Praat's
// Pitch_pathFinder): Viterbi over candidates whose local score is their correlation
// strength (favouring higher frequencies by the octave cost) or, for "unvoiced", the voicing
// threshold raised in quiet frames; transitions pay for octave jumps and voicing changes.

export interface PitchCandidates {
  /** Candidate frequencies per frame; 0 is the unvoiced candidate, always first. */
  readonly frequency: Float64Array[];
  readonly strength: Float64Array[];
  /** Local peak / global peak, in [0, 1]. */
  readonly intensity: Float64Array;
}

export interface PathCosts {
  readonly silenceThreshold: number;
  readonly voicingThreshold: number;
  readonly octaveCost: number;
  readonly octaveJumpCost: number;
  readonly voicedUnvoicedCost: number;
  readonly ceiling: number;
  /** Frame step in seconds: jump and voicing costs are given per 10 ms. */
  readonly timeStep: number;
}

const voiced = (f: number, ceiling: number) => f > 0 && f < ceiling;

/** The chosen frequency per frame (0 = unvoiced). */
export function bestPitchPath(c: PitchCandidates, costs: PathCosts): Float32Array {
  const frames = c.frequency.length;
  const out = new Float32Array(frames);
  if (frames === 0) return out;
  const { silenceThreshold, voicingThreshold, octaveCost, ceiling } = costs;
  const correction = 0.01 / costs.timeStep;
  const jumpCost = costs.octaveJumpCost * correction, switchCost = costs.voicedUnvoicedCost * correction;
  const delta = c.frequency.map((freqs, t) => {
    const quiet = silenceThreshold <= 0 ? 0 : 2 - c.intensity[t]! / (silenceThreshold / (1 + voicingThreshold));
    const unvoicedStrength = voicingThreshold + Math.max(0, quiet);
    return freqs.map((f, k) => (voiced(f, ceiling) ? c.strength[t]![k]! - octaveCost * Math.log2(ceiling / f) : unvoicedStrength));
  });
  // log2 of each voiced candidate once, not once per transition (|log2(f1/f2)| = |l1 − l2|).
  const logs = c.frequency.map((freqs) => freqs.map((f) => (voiced(f, ceiling) ? Math.log2(f) : NaN)));
  const from: Int32Array[] = [new Int32Array(c.frequency[0]!.length)];
  for (let t = 1; t < frames; t++) {
    const prevL = logs[t - 1]!, prevD = delta[t - 1]!, curL = logs[t]!, curD = delta[t]!;
    const back = new Int32Array(curL.length);
    for (let k2 = 0; k2 < curL.length; k2++) {
      const l2 = curL[k2]!, v2 = !Number.isNaN(l2);
      let best = -1e30, place = 0;
      for (let k1 = 0; k1 < prevL.length; k1++) {
        const l1 = prevL[k1]!, v1 = !Number.isNaN(l1);
        const cost = v1 && v2 ? jumpCost * Math.abs(l1 - l2) : v1 !== v2 ? switchCost : 0;
        const value = prevD[k1]! - cost + curD[k2]!;
        if (value > best) (best = value), (place = k1);
      }
      curD[k2] = best;
      back[k2] = place;
    }
    from.push(back);
  }
  const last = delta[frames - 1]!;
  let place = 0;
  for (let k = 1; k < last.length; k++) if (last[k]! > last[place]!) place = k;
  for (let t = frames - 1; t >= 0; t--) {
    const f = c.frequency[t]![place]!;
    out[t] = voiced(f, ceiling) ? f : 0;
    place = from[t]![place]!;
  }
  return out;
}
