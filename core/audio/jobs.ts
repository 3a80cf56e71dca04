// Every piece of work the audio workers do, by name. The toolkit posts {name, args};
// a worker runs `jobs[name](args)` and posts the result back (copied: see worker.ts).
// Arguments and results are plain data (structured-clonable).
import { readFile } from 'node:fs/promises';
import { decodeAudioBytes, type DecodeRequest } from './decode/decode-audio.ts';
import { chromagram } from './dsp/chroma.ts';
import { estimatePitch } from './dsp/f0.ts';
import { integratedLoudness, normalizeLoudness, normalizePeak } from './dsp/loudness.ts';
import { griffinLim, melToLinear, type GriffinLimOptions } from './dsp/griffin-lim.ts';
import { istft, type IstftInput } from './dsp/istft.ts';
import { kaldiFbank, stackedFbank } from './dsp/kaldi-fbank.ts';
import { melSpectrogram } from './dsp/mel-spectrogram.ts';
import { findNonSilent, splitAtSilence, type SilenceOptions } from './dsp/silence.ts';
import { spectrogram, stft } from './dsp/stft.ts';
import { pitchShift, pitchShiftRange } from './dsp/pitch-shift.ts';
import type { SampleRange } from './dsp/istft.ts';
import { timeStretch } from './dsp/time-stretch.ts';
import { encodeAudio, type EncodeOptions } from './encode/encode-audio.ts';
import type { EncodeFormat } from './formats.ts';
import type { ChromaOptions, FeatureMatrix, KaldiFbankOptions, MelOptions, PitchOptions, SpectrogramOptions, StackedFbankOptions, StftOptions } from './feature-types.ts';
import { renderSpectrogram, type SpectrogramImageOptions } from './pictures/spectrogram-image.ts';
import { renderWaveform, type WaveformImageOptions } from './pictures/waveform-image.ts';
import { resampleChannels } from './resample.ts';

type Channels = Float32Array[];

export const jobs = {
  async decodeFile(a: { path: string; request: DecodeRequest }) {
    return decodeAudioBytes(await readFile(a.path), a.request);
  },
  decodeBytes: (a: { bytes: Uint8Array; request: DecodeRequest }) => decodeAudioBytes(a.bytes, a.request),
  // Decode and mel in one job: the PCM stays in the worker (only the mel crosses back).
  async decodeMel(a: { source: { path: string } | { bytes: Uint8Array }; request: DecodeRequest; options: MelOptions; minSamples: number }) {
    const bytes = 'bytes' in a.source ? a.source.bytes : await readFile(a.source.path);
    const samples = (await decodeAudioBytes(bytes, { ...a.request, mono: true })).channels[0]!;
    return { samples: samples.length, mel: samples.length >= a.minSamples ? melSpectrogram(samples, a.options) : undefined };
  },
  encode: (a: { channels: Channels; sampleRate: number; format: EncodeFormat; options: EncodeOptions }) => encodeAudio(a.channels, a.sampleRate, a.format, a.options),
  resample: (a: { channels: Channels; from: number; to: number }) => resampleChannels(a.channels, a.from, a.to),

  stft: (a: { signal: Float32Array; options: StftOptions }) => stft(a.signal, a.options),
  istft: (a: { spec: IstftInput; options: StftOptions & { length?: number } }) => istft(a.spec, a.options),
  spectrogram: (a: { signal: Float32Array; options: SpectrogramOptions }) => spectrogram(a.signal, a.options),
  melSpectrogram: (a: { signal: Float32Array; options: MelOptions }) => melSpectrogram(a.signal, a.options),
  kaldiFbank: (a: { signal: Float32Array; options: KaldiFbankOptions }) => kaldiFbank(a.signal, a.options),
  stackedFbank: (a: { signal: Float32Array; options: StackedFbankOptions }) => stackedFbank(a.signal, a.options),
  pitch: (a: { signal: Float32Array; sampleRate: number; options?: PitchOptions }) => estimatePitch(a.signal, a.sampleRate, a.options),
  chroma(a: { signal: Float32Array; sampleRate: number; options: ChromaOptions }): FeatureMatrix {
    const { data, dims } = chromagram(a.signal, a.sampleRate, a.options);
    return { data, dims };
  },

  griffinLim: (a: { magnitude: FeatureMatrix; options: GriffinLimOptions }) => griffinLim(a.magnitude, a.options),
  melToAudio: (a: { mel: FeatureMatrix; options: MelOptions & GriffinLimOptions }) => griffinLim(melToLinear(a.mel, a.options), { ...a.options, power: 1 }),
  timeStretch: (a: { signal: Float32Array; sampleRate: number; speed: number }) => timeStretch(a.signal, a.sampleRate, a.speed),
  pitchShift: (a: { signal: Float32Array; sampleRate: number; semitones: number }) => pitchShift(a.signal, a.sampleRate, a.semitones),
  // One part of a long pitch shift; the parts of one signal run on several workers at once,
  // each writing its range of the shared output.
  pitchShiftRange(a: { signal: Float32Array; sampleRate: number; semitones: number; range: SampleRange; output: Float32Array }) {
    a.output.set(pitchShiftRange(a.signal, a.sampleRate, a.semitones, a.range), a.range.start);
    return a.range.end - a.range.start;
  },

  loudness: (a: { channels: Channels; sampleRate: number }) => integratedLoudness(a.channels, a.sampleRate),
  normalizeLoudness: (a: { channels: Channels; sampleRate: number; targetLufs?: number; peakCeilingDb?: number }) => normalizeLoudness(a.channels, a.sampleRate, a.targetLufs, a.peakCeilingDb),
  normalizePeak: (a: { channels: Channels; peakDb?: number }) => normalizePeak(a.channels, a.peakDb),
  trimSilence(a: { signal: Float32Array; sampleRate: number; options?: SilenceOptions & { padMs?: number } }) {
    const { start, end } = findNonSilent(a.signal, a.sampleRate, a.options);
    return { audio: a.signal.slice(start, end), start, end };
  },
  splitAtSilence: (a: { signal: Float32Array; sampleRate: number; options: SilenceOptions & { maxSeconds: number; searchSeconds?: number } }) => splitAtSilence(a.signal, a.sampleRate, a.options),

  renderSpectrogram: (a: { signal: Float32Array; sampleRate: number; options?: SpectrogramImageOptions }) => renderSpectrogram(a.signal, a.sampleRate, a.options),
  renderWaveform: (a: { signal: Float32Array; options?: WaveformImageOptions }) => renderWaveform(a.signal, a.options),
  /** Round trip with no work: used to check the pool is alive. */
  ping: (a: { at: number }) => a.at,
};

export type Jobs = typeof jobs;
export type JobName = keyof Jobs;
export type JobArgs<N extends JobName> = Parameters<Jobs[N]>[0];
export type JobResult<N extends JobName> = Awaited<ReturnType<Jobs[N]>>;
