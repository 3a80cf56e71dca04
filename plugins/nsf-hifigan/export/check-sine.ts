// For export_nsf_hifigan.py --sine-check: excitation.ts against torch's SineGen on the same F0,
// initial phases and no noise. Prints `max |ts - torch| = …` and fails above 1e-4.
import { readFileSync } from 'node:fs';
import { sineExcitation } from '../excitation.ts';

const { f0, phases, expected, sampleRate, upp, harmonics } = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as {
  f0: number[]; phases: number[]; expected: number[]; sampleRate: number; upp: number; harmonics: number;
};
const got = sineExcitation(f0, { sampleRate, upp, harmonics }, { phases: Float32Array.from(phases) });
if (got.length !== expected.length) throw new Error(`excitation has ${got.length} values, torch ${expected.length}`);
let worst = 0;
got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]!))));
console.log(`sine: ${f0.length} frames × ${upp} samples × ${harmonics + 1} sines, max |ts - torch| = ${worst.toExponential(2)}`);
process.exit(worst > 1e-4 ? 1 : 0);
