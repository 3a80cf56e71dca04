// Mel spectrogram [nMels][frames]: STFT → magnitude/power → filterbank → optional log
// compression → optional normalisation, in that order (the order every reference uses).
import type { FeatureMatrix, MelOptions } from '../feature-types.ts';
import { compressLog, normalize } from './compression.ts';
import { applyFilterbank, melFilterbank } from './mel-filterbank.ts';
import { forEachSpectrum, frameCount, magnitudeOf } from './stft.ts';

export function melSpectrogram(signal: ArrayLike<number>, options: MelOptions): FeatureMatrix {
  const bank = melFilterbank(options);
  const frames = frameCount(signal.length, options);
  const data = new Float32Array(bank.nMels * frames);
  const mag = new Float64Array(bank.bins), mel = new Float64Array(bank.nMels);
  forEachSpectrum(signal, options, (t, re, im) => {
    magnitudeOf(re, im, mag, options);
    applyFilterbank(bank, mag, mel);
    for (let m = 0; m < bank.nMels; m++) data[m * frames + t] = mel[m]!;
  });
  if (options.log) compressLog(data, options.log);
  if (options.normalize) normalize(data, [bank.nMels, frames], 0, options.normalize);
  return { data, dims: [bank.nMels, frames] };
}
