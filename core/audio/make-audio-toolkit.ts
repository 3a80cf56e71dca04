// First implementation of the audio service: WAV in and out. The audio toolkit issue
// extends it (more formats, resampling, worker threads) behind the same shape.
import { readFile } from 'node:fs/promises';
import { decodeWaveToFloat32Channels, encodeWaveFromFloat32Channels } from '@echogarden/wave-codec';
import { errors } from '../errors.ts';
import type { AudioToolkit, Pcm } from './toolkit.ts';

const CONTENT_TYPES: Record<string, string> = { wav: 'audio/wav' };

function downmix(channels: Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const out = new Float32Array(channels[0]!.length);
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i]! += channel[i]! / channels.length;
  return out;
}

export function makeAudioToolkit(): AudioToolkit {
  const decodeWav = async (path: string, field: string): Promise<Pcm> => {
    try {
      const raw = decodeWaveToFloat32Channels(await readFile(path));
      return { channels: raw.audioChannels, sampleRate: raw.sampleRate };
    } catch (error) {
      throw errors.badAudio(field, `not a readable WAV file (${(error as Error).message})`);
    }
  };
  return {
    formats: ['wav'],
    contentType: (format) => CONTENT_TYPES[format] ?? 'application/octet-stream',
    async decode(source, options = {}) {
      const field = source.field ?? 'audio';
      if (source.format !== 'wav') throw errors.unsupportedMediaType(`${field}: ${source.format} audio cannot be decoded yet; send WAV`);
      const pcm = await decodeWav(source.path, field);
      if (options.sampleRate && options.sampleRate !== pcm.sampleRate) {
        throw errors.unsupportedMediaType(`${field}: resampling from ${pcm.sampleRate} Hz is not available yet; send ${options.sampleRate} Hz`);
      }
      return options.mono === false ? pcm : { channels: [downmix(pcm.channels)], sampleRate: pcm.sampleRate };
    },
    async encode(audio, sampleRate, format) {
      if (format !== 'wav') throw errors.badRequest(`response_format '${format}' is not supported; supported: wav`);
      const channels = audio instanceof Float32Array ? [audio] : [...audio];
      return { bytes: encodeWaveFromFloat32Channels(channels, sampleRate, 16), contentType: 'audio/wav', format };
    },
    async probe(source) {
      const pcm = await decodeWav(source.path, source.field ?? 'audio');
      return { sampleRate: pcm.sampleRate, channels: pcm.channels.length, durationSeconds: pcm.channels[0]!.length / pcm.sampleRate };
    },
  };
}
