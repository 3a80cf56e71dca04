// Small real WAV files for tests, written by the same encoder the hub uses.
import { encodeWaveFromFloat32Channels } from '@echogarden/wave-codec';

export function sine(options: { seconds: number; sampleRate: number; frequency?: number; amplitude?: number }): Float32Array {
  const { seconds, sampleRate, frequency = 440, amplitude = 0.5 } = options;
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  return out;
}

export function wavBytes(channels: Float32Array | Float32Array[], sampleRate: number, bitDepth: 8 | 16 | 24 | 32 = 16, sampleFormat: 'int' | 'float' = 'int'): Uint8Array {
  return encodeWaveFromFloat32Channels(Array.isArray(channels) ? channels : [channels], sampleRate, bitDepth, (sampleFormat === 'float' ? 3 : 1) as never); // the codec's SampleFormat: PCM 1, Float 3
}

