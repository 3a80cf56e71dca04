// Gathers decoded chunks while the decoder runs: enforces the duration limit as soon as
// it is passed (so a small file that claims hours of audio cannot exhaust memory),
// downmixes on the fly when one channel is wanted, and checks the stream stays coherent.
import { errors } from '../../errors.ts';

export interface DecodeLimits {
  /** Form field, for messages. */
  readonly field: string;
  readonly maxSeconds: number;
  /** Upload class the limit comes from, for messages. */
  readonly limitClass?: string;
  readonly mono: boolean;
}

export const MAX_CHANNELS = 32;

export function tooLong(limits: DecodeLimits, seconds: number | undefined): Error {
  const what = seconds === undefined ? `audio is longer than` : `${Number(seconds.toFixed(2))} s of audio exceeds`;
  const where = limits.limitClass ? ` for '${limits.limitClass}' uploads` : '';
  return errors.payloadTooLarge(`${limits.field}: ${what} the ${limits.maxSeconds} s limit${where}`);
}

export function checkStreamShape(limits: DecodeLimits, sampleRate: number, channels: number): void {
  if (!Number.isFinite(sampleRate) || sampleRate < 1000 || sampleRate > 768000) throw errors.badAudio(limits.field, `sample rate ${sampleRate} Hz is outside 1000–768000 Hz`);
  if (!Number.isInteger(channels) || channels < 1 || channels > MAX_CHANNELS) throw errors.badAudio(limits.field, `${channels} channels; at most ${MAX_CHANNELS} are accepted`);
}

export class PcmCollector {
  private readonly limits: DecodeLimits;
  private readonly chunks: Float32Array[][] = [];
  private frames = 0;
  private rate = 0;
  private channelCount = 0;

  constructor(limits: DecodeLimits) {
    this.limits = limits;
  }

  get sampleRate(): number {
    return this.rate;
  }

  get length(): number {
    return this.frames;
  }

  push(channels: readonly Float32Array[], sampleRate: number, frames = channels[0]?.length ?? 0): void {
    if (frames === 0) return;
    checkStreamShape(this.limits, sampleRate, channels.length);
    if (this.rate === 0) {
      this.rate = sampleRate;
      this.channelCount = channels.length;
    } else if (sampleRate !== this.rate || channels.length !== this.channelCount) {
      throw errors.badAudio(this.limits.field, `the stream changes format midway (${this.channelCount} ch at ${this.rate} Hz, then ${channels.length} ch at ${sampleRate} Hz)`);
    }
    if (this.frames + frames > this.limits.maxSeconds * this.rate) throw tooLong(this.limits, undefined);
    this.frames += frames;
    const copies = channels.map((c) => c.slice(0, frames));
    this.chunks.push(this.limits.mono && copies.length > 1 ? [downmix(copies)] : copies);
  }

  /** Drops samples past `frames` (decoders that cannot trim their own padding). */
  truncate(frames: number): void {
    let excess = this.frames - frames;
    while (excess > 0 && this.chunks.length) {
      const last = this.chunks[this.chunks.length - 1]!;
      const length = last[0]!.length;
      if (length <= excess) {
        this.chunks.pop();
        excess -= length;
        this.frames -= length;
      } else {
        this.chunks[this.chunks.length - 1] = last.map((c) => c.subarray(0, length - excess));
        this.frames -= excess;
        excess = 0;
      }
    }
  }

  finish(): { channels: Float32Array[]; sampleRate: number } {
    if (this.frames === 0) throw errors.badAudio(this.limits.field, 'no audio could be decoded from the file');
    const count = this.chunks[0]!.length;
    const channels = Array.from({ length: count }, () => new Float32Array(this.frames));
    let offset = 0;
    for (const chunk of this.chunks) {
      chunk.forEach((c, i) => channels[i]!.set(c, offset));
      offset += chunk[0]!.length;
    }
    this.chunks.length = 0;
    return { channels, sampleRate: this.rate };
  }
}

export function downmix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length === 1) return channels[0]!;
  const out = new Float32Array(channels[0]!.length);
  const scale = 1 / channels.length;
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i]! += channel[i]! * scale;
  return out;
}
