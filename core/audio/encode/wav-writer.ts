// WAV files: 16-bit PCM or 32-bit float, and the streaming form whose header leaves the
// sizes unknown (0xFFFFFFFF, as ffmpeg writes to pipes) so PCM chunks can follow as made.
import { interleaveFloat32, interleavePcm16 } from './pcm16.ts';

export type WavEncoding = 'pcm16' | 'float32';

const UNKNOWN = 0xffffffff;

export function wavHeader(options: { sampleRate: number; channels: number; encoding: WavEncoding; dataBytes?: number }): Uint8Array {
  const { sampleRate, channels, encoding } = options;
  const float = encoding === 'float32';
  const bytesPerSample = float ? 4 : 2;
  const fmtSize = float ? 18 : 16;
  const factChunk = float ? 12 : 0;
  const size = 12 + 8 + fmtSize + factChunk + 8;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string) => [...s].forEach((ch, i) => (out[at + i] = ch.charCodeAt(0)));
  const dataBytes = options.dataBytes;
  text(0, 'RIFF');
  view.setUint32(4, dataBytes === undefined ? UNKNOWN : Math.min(UNKNOWN, size - 8 + dataBytes), true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, float ? 3 : 1, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  let at = 36;
  if (float) {
    view.setUint16(at, 0, true); // cbSize
    at += 2;
    text(at, 'fact');
    view.setUint32(at + 4, 4, true);
    view.setUint32(at + 8, dataBytes === undefined ? UNKNOWN : dataBytes / (channels * bytesPerSample), true);
    at += 12;
  }
  text(at, 'data');
  view.setUint32(at + 4, dataBytes === undefined ? UNKNOWN : Math.min(UNKNOWN, dataBytes), true);
  return out;
}

export function encodeWav(channels: readonly Float32Array[], sampleRate: number, encoding: WavEncoding = 'pcm16'): Uint8Array {
  const data = encoding === 'float32' ? interleaveFloat32(channels) : interleavePcm16(channels);
  const header = wavHeader({ sampleRate, channels: channels.length, encoding, dataBytes: data.length });
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

/** For streamed responses: send `header` first, then `chunk(samples)` for each block as it is produced. */
export interface WavStream {
  readonly contentType: string;
  readonly header: Uint8Array;
  chunk(audio: Float32Array | readonly Float32Array[]): Uint8Array;
}

export function createWavStream(sampleRate: number, options: { channels?: number; encoding?: WavEncoding } = {}): WavStream {
  const channels = options.channels ?? 1;
  const encoding = options.encoding ?? 'pcm16';
  return {
    contentType: 'audio/wav',
    header: wavHeader({ sampleRate, channels, encoding }),
    chunk(audio) {
      const list = audio instanceof Float32Array ? [audio] : [...audio];
      if (list.length !== channels) throw new RangeError(`the stream has ${channels} channel(s); got ${list.length}`);
      return encoding === 'float32' ? interleaveFloat32(list) : interleavePcm16(list);
    },
  };
}
