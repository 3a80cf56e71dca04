// Kaldi filterbank features with Kaldi's defaults (torchaudio.compliance.kaldi.fbank,
// snip_edges=True, no dither), and the stacked, per-bin-normalised variant speech
// encoders take (presets live in the plugins). Result layout: [frames][bins], as Kaldi writes it.
import type { FeatureMatrix, KaldiFbankOptions, StackedFbankOptions } from '../feature-types.ts';
import { normalize } from './compression.ts';
import { realFft } from './real-fft.ts';
import { applyFilterbank, kaldiMelFilterbank } from './mel-filterbank.ts';
import { makeWindow } from './windows.ts';

const FLOAT32_EPSILON = 1.1920928955078125e-7;

export function kaldiFbank(signal: ArrayLike<number>, options: KaldiFbankOptions): FeatureMatrix {
  const {
    sampleRate, numMelBins, frameLengthMs = 25, frameShiftMs = 10, preemphasis = 0.97, removeDcOffset = true,
    window = 'povey', lowFreq = 20, highFreq = 0, usePower = true, useLog = true, logFloor = FLOAT32_EPSILON, waveformScale = 32768,
  } = options;
  const frameLength = Math.round((sampleRate * frameLengthMs) / 1000);
  const shift = Math.round((sampleRate * frameShiftMs) / 1000);
  if (frameLength < 2 || shift < 1) throw new RangeError(`frame length ${frameLength} and shift ${shift} samples are too small`);
  let padded = 1;
  while (padded < frameLength) padded *= 2;
  const bank = kaldiMelFilterbank({ sampleRate, paddedWindow: padded, numBins: numMelBins, lowFreq, highFreq });
  const frames = signal.length >= frameLength ? 1 + Math.floor((signal.length - frameLength) / shift) : 0;
  const win = makeWindow(window, frameLength, false);
  const fft = realFft(padded);
  const frame = new Float64Array(padded);
  const re = new Float64Array(fft.bins), im = new Float64Array(fft.bins), spectrum = new Float64Array(fft.bins), mel = new Float64Array(numMelBins);
  const data = new Float32Array(frames * numMelBins);
  for (let t = 0; t < frames; t++) {
    const start = t * shift;
    let mean = 0;
    for (let i = 0; i < frameLength; i++) mean += (frame[i] = signal[start + i]! * waveformScale);
    mean /= frameLength;
    if (removeDcOffset) for (let i = 0; i < frameLength; i++) frame[i]! -= mean;
    if (preemphasis !== 0) {
      for (let i = frameLength - 1; i > 0; i--) frame[i]! -= preemphasis * frame[i - 1]!;
      frame[0]! -= preemphasis * frame[0]!;
    }
    for (let i = 0; i < frameLength; i++) frame[i]! *= win[i]!;
    frame.fill(0, frameLength);
    fft.forward(frame, re, im);
    for (let k = 0; k < fft.bins; k++) {
      const power = re[k]! * re[k]! + im[k]! * im[k]!;
      spectrum[k] = usePower ? power : Math.sqrt(power);
    }
    applyFilterbank(bank, spectrum, mel);
    for (let m = 0; m < numMelBins; m++) data[t * numMelBins + m] = useLog ? Math.log(Math.max(mel[m]!, logFloor)) : mel[m]!;
  }
  return { data, dims: [frames, numMelBins] };
}

/** Kaldi fbank → per-bin normalisation → zero-pad frames to a multiple of `stack` → concatenate `stack` frames. */
export function stackedFbank(signal: ArrayLike<number>, options: StackedFbankOptions): FeatureMatrix {
  const { stack, normalize: how = { perBin: true, ddof: 1, epsilon: 1e-7 } } = options;
  if (!Number.isInteger(stack) || stack < 1) throw new RangeError(`stack must be a positive integer, got ${stack}`);
  const fbank = kaldiFbank(signal, options);
  normalize(fbank.data, fbank.dims, 1, how);
  const [frames, bins] = fbank.dims;
  const outFrames = Math.ceil(frames / stack);
  const data = new Float32Array(outFrames * stack * bins);
  // Row-major [frames][bins] padded with zero rows is already [frames/stack][bins·stack].
  data.set(fbank.data);
  return { data, dims: [outFrames, bins * stack] };
}
