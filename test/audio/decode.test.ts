// Decoding files written by real encoders (Debian ffmpeg: LAME, libvorbis, libopus, FLAC,
// its WAV muxer) and refusing corrupt, lying or over-long files with the right status.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeAudioBytes, type DecodeRequest } from '../../core/audio/decode/decode-audio.ts';
import { encodeWav } from '../../core/audio/encode/wav-writer.ts';
import { HubError } from '../../core/errors.ts';
import { bestCorrelation, tone } from './support/tones.ts';

const coded = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/coded/${name}`, import.meta.url)));
const request = (format: string, extra: Partial<DecodeRequest> = {}): DecodeRequest => ({ format, field: 'audio', maxSeconds: 60, limitClass: 'content', mono: false, ...extra });
const left = tone({ sampleRate: 24000, seconds: 0.5, frequency: 440, amplitude: 0.5 });
const right = tone({ sampleRate: 24000, seconds: 0.5, frequency: 660, amplitude: 0.25 });

async function rejects(promise: Promise<unknown>, status: number, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof HubError, `expected a HubError, got ${error}`);
    assert.equal(error.status, status, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('decoding files from real encoders', () => {
  const lossy = [
    ['tone-stereo-24k.mp3', 'mp3', 12000, 24000],
    ['tone-stereo-24k.ogg', 'ogg-vorbis', 12000, 24000],
    ['tone-stereo-24k.opus', 'ogg-opus', 24000, 48000],
  ] as const;
  for (const [file, format, samples, rate] of lossy) {
    it(`decodes ${format} to the exact length, rate and channel content`, async () => {
      const pcm = await decodeAudioBytes(coded(file), request(format));
      assert.equal(pcm.sampleRate, rate);
      assert.equal(pcm.channels.length, 2);
      assert.equal(pcm.channels[0]!.length, samples);
      const expected = rate === 24000 ? left : tone({ sampleRate: 48000, seconds: 0.5, frequency: 440, amplitude: 0.5 });
      const { lag, correlation } = bestCorrelation(pcm.channels[0]!.subarray(2000, 10000), expected.subarray(2000, 10000), 8);
      // Opus decodes at 48 kHz through its own resampler: a few samples of delay are inherent.
      assert.ok(correlation > 0.99 && Math.abs(lag) <= (format === 'ogg-opus' ? 4 : 1), `${format}: correlation ${correlation} at lag ${lag}`);
    });
  }

  it('resamples Opus (48 kHz) to the requested rate with the exact length', async () => {
    const pcm = await decodeAudioBytes(coded('tone-stereo-24k.opus'), request('ogg-opus', { sampleRate: 16000, mono: true }));
    assert.equal(pcm.sampleRate, 16000);
    assert.deepEqual([pcm.channels.length, pcm.channels[0]!.length], [1, 8000]);
  });

  const lossless = [
    ['tone-stereo-24k.flac', 'flac', 1e-4],
    ['tone-stereo-24k-s24.wav', 'wav', 1e-6],
    ['tone-stereo-24k-f64.wav', 'wav', 1e-7],
    ['tone-stereo-24k-u8.wav', 'wav', 1 / 64],
  ] as const;
  for (const [file, format, tolerance] of lossless) {
    it(`decodes ${file} sample for sample`, async () => {
      const pcm = await decodeAudioBytes(coded(file), request(format));
      assert.equal(pcm.sampleRate, 24000);
      assert.equal(pcm.channels[0]!.length, 1200);
      for (let i = 0; i < 1200; i++) {
        assert.ok(Math.abs(pcm.channels[0]![i]! - left[i]!) <= tolerance && Math.abs(pcm.channels[1]![i]! - right[i]!) <= tolerance, `sample ${i}`);
      }
    });
  }

  it('reads a four-channel WAVE_FORMAT_EXTENSIBLE file and downmixes it on request', async () => {
    const bytes = coded('tone-quad-24k-extensible.wav');
    assert.equal(new DataView(bytes.buffer).getUint16(20, true), 0xfffe);
    const all = await decodeAudioBytes(bytes, request('wav'));
    assert.equal(all.channels.length, 4);
    const mono = await decodeAudioBytes(bytes, request('wav', { mono: true }));
    assert.equal(mono.channels.length, 1);
    const expected = (2 * left[100]! + 2 * right[100]!) / 4;
    assert.ok(Math.abs(mono.channels[0]![100]! - expected) < 1e-3);
  });

  for (const bits of [8, 16, 24, 32] as const) {
    it(`reads ${bits}-bit PCM WAV`, async () => {
      const x = tone({ sampleRate: 16000, seconds: 0.1, frequency: 300 });
      const { encodeWaveFromFloat32Channels } = await import('@echogarden/wave-codec');
      const pcm = await decodeAudioBytes(encodeWaveFromFloat32Channels([x], 16000, bits), request('wav'));
      const step = Math.pow(2, 1 - bits);
      for (let i = 0; i < x.length; i++) assert.ok(Math.abs(pcm.channels[0]![i]! - x[i]!) <= step * 1.01, `sample ${i}`);
    });
  }

  it('reads a streaming WAV whose sizes are unknown (0xFFFFFFFF)', async () => {
    const bytes = encodeWav([left], 24000);
    const view = new DataView(bytes.buffer);
    view.setUint32(4, 0xffffffff, true);
    view.setUint32(40, 0xffffffff, true);
    const pcm = await decodeAudioBytes(bytes, request('wav'));
    assert.equal(pcm.channels[0]!.length, left.length);
  });

  it('skips unknown chunks with odd sizes and their pad byte', async () => {
    const wav = encodeWav([left], 24000);
    const junk = new Uint8Array([...'JUNK'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const bytes = new Uint8Array(wav.length + junk.length);
    bytes.set(wav.subarray(0, 36));
    bytes.set(junk, 36);
    bytes.set(wav.subarray(36), 36 + junk.length);
    const pcm = await decodeAudioBytes(bytes, request('wav'));
    assert.equal(pcm.channels[0]!.length, left.length);
  });
});

describe('refusing bad files', () => {
  it('answers 400 for bytes labelled MP3 that hold no MPEG frame', async () => {
    const bytes = new TextEncoder().encode('this is not audio at all. '.repeat(500));
    await rejects(decodeAudioBytes(bytes, request('mp3')), 400, /^audio: no mp3 audio could be decoded/);
  });

  it('answers 400 for a truncated Ogg Vorbis file', async () => {
    await rejects(decodeAudioBytes(coded('tone-stereo-24k.ogg').subarray(0, 300), request('ogg-vorbis')), 400, /^audio: /);
  });

  it('answers 400 for a FLAC header followed by garbage', async () => {
    const bytes = coded('tone-stereo-24k.flac').slice(0, 2000);
    bytes.fill(0x5a, 100);
    await rejects(decodeAudioBytes(bytes, request('flac')), 400, /^audio: /);
  });

  it('answers 400 for a WAV without a data chunk, and for one with zero channels', async () => {
    const wav = encodeWav([left], 24000);
    await rejects(decodeAudioBytes(wav.subarray(0, 36), request('wav')), 400, /no data chunk/);
    const broken = wav.slice();
    new DataView(broken.buffer).setUint16(22, 0, true);
    await rejects(decodeAudioBytes(broken, request('wav')), 400, /0 channels/);
  });

  it('answers 415 for a WAV sample format it cannot read (ADPCM)', async () => {
    const wav = encodeWav([left], 24000);
    new DataView(wav.buffer).setUint16(20, 2, true);
    await rejects(decodeAudioBytes(wav, request('wav')), 415, /WAV sample format 0x2/);
  });

  it('answers 415 for a format it does not decode', async () => {
    await rejects(decodeAudioBytes(new Uint8Array(10), request('unknown')), 415, /not a recognised audio format/);
  });

  it('reads only the bytes present when a WAV claims a larger data chunk', async () => {
    const wav = encodeWav([left], 24000);
    new DataView(wav.buffer).setUint32(40, 1 << 30, true);
    const pcm = await decodeAudioBytes(wav, request('wav'));
    assert.equal(pcm.channels[0]!.length, left.length);
  });

  it('answers 413 naming the duration when a WAV is over the limit, before converting it', async () => {
    await rejects(decodeAudioBytes(encodeWav([left], 24000), request('wav', { maxSeconds: 0.25 })), 413, /^audio: 0\.5 s of audio exceeds the 0\.25 s limit for 'content' uploads/);
  });

  it('answers 413 for compressed audio once the decoded length passes the limit', async () => {
    await rejects(decodeAudioBytes(coded('tone-stereo-24k.mp3'), request('mp3', { maxSeconds: 0.2 })), 413, /longer than the 0\.2 s limit/);
    await rejects(decodeAudioBytes(coded('tone-stereo-24k.opus'), request('ogg-opus', { maxSeconds: 0.2 })), 413, /0\.5 s of audio exceeds the 0\.2 s limit/);
  });
});

describe('durations declared in headers', () => {
  it('refuses FLAC and Ogg Vorbis over the limit from their headers, naming the duration', async () => {
    await rejects(decodeAudioBytes(coded('tone-stereo-24k.flac'), request('flac', { maxSeconds: 0.01 })), 413, /0\.05 s of audio exceeds the 0\.01 s limit/);
    await rejects(decodeAudioBytes(coded('tone-stereo-24k.ogg'), request('ogg-vorbis', { maxSeconds: 0.2 })), 413, /0\.5 s of audio exceeds the 0\.2 s limit/);
  });
});
