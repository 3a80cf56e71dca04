// Whisper's front end (openai/whisper `audio.py` log_mel_spectrogram): 16 kHz, Hann window
// of 400, hop 160, power spectrum, Slaney mel filters, log10 floored at 1e-10, clamped to 8
// below the maximum, then (x + 4) / 4; the last STFT frame is dropped. As in `transcribe`,
// the whole file is analysed with 30 s of silence appended and windows of 3000 frames are
// cut from it, zero-padded at the end.
import type { AudioToolkit, FeatureMatrix, MelOptions } from '../../core/audio/toolkit.ts';
import { HOP, N_FRAMES, N_SAMPLES, SAMPLE_RATE } from './presets.ts';

export function whisperMelOptions(nMels: number): MelOptions {
  return {
    sampleRate: SAMPLE_RATE,
    nFft: 400,
    hop: HOP,
    window: 'hann',
    periodic: true,
    center: true,
    padMode: 'reflect',
    dropLastFrame: true,
    power: 2,
    nMels,
    melScale: 'slaney',
    melNorm: 'slaney',
    log: { type: 'log10', floor: 1e-10, dynamicRange: 8, offset: 4, scale: 0.25 },
  };
}

export interface WhisperMel {
  readonly mel: FeatureMatrix;
  /** Frames that hold the audio itself (the rest is the appended silence). */
  readonly contentFrames: number;
}

export async function whisperMel(audio: AudioToolkit, samples: Float32Array, nMels: number): Promise<WhisperMel> {
  const padded = new Float32Array(samples.length + N_SAMPLES);
  padded.set(samples);
  const mel = await audio.melSpectrogram(padded, whisperMelOptions(nMels));
  return { mel, contentFrames: mel.dims[1] - N_FRAMES };
}

/** Frames [start, start + count) of every mel bin, zero-padded to 3000 frames: the encoder's input. */
export function melWindow(mel: FeatureMatrix, start: number, count: number): Float32Array {
  const [bins, frames] = mel.dims;
  const window = new Float32Array(bins * N_FRAMES);
  const take = Math.max(0, Math.min(count, N_FRAMES, frames - start));
  for (let b = 0; b < bins; b++) window.set(mel.data.subarray(b * frames + start, b * frames + start + take), b * N_FRAMES);
  return window;
}
