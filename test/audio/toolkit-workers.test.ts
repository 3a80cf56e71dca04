// The toolkit as plugins see it (`ctx.audio`): work done in worker threads, catalogue
// errors crossing the thread boundary intact, the queue bound and the job timeout.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeAudioToolkit } from '../../core/audio/make-audio-toolkit.ts';
import { loadConfig } from '../../core/config/load-config.ts';
import { HubError } from '../../core/errors.ts';
import { encodeWav } from '../../core/audio/encode/wav-writer.ts';
import { tone } from './support/tones.ts';
import { pitchShift } from '../../core/audio/dsp/pitch-shift.ts';
import { pitchShiftParts } from '../../core/audio/dsp/pitch-shift-parts.ts';
import { readUpload } from '../../core/plugin/read-upload.ts';

const config = (audio: Record<string, unknown> = {}, uploads: Record<string, unknown> = {}) =>
  loadConfig({ env: { NODE_ENV: 'test' }, overrides: { logLevel: 'silent', audio, uploads } });

describe('the audio toolkit over worker threads', async () => {
  const audio = makeAudioToolkit({ config: config({ workers: 2 }, { classes: { reference: { maxBytes: 1 << 20, maxSeconds: 0.5 } } }) });
  const dir = await mkdtemp(join(tmpdir(), 'audio-toolkit-'));
  const x = tone({ sampleRate: 22050, seconds: 1, frequency: 440 });
  const wavPath = join(dir, 'tone.wav');
  await writeFile(wavPath, encodeWav([x, x], 22050));
  after(async () => {
    await audio.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes an upload in a worker, downmixed and resampled as asked', async () => {
    const pcm = await audio.decode({ path: wavPath, format: 'wav', field: 'audio' }, { sampleRate: 16000 });
    assert.deepEqual([pcm.sampleRate, pcm.channels.length, pcm.channels[0]!.length], [16000, 1, 16000]);
    assert.ok(audio.pool.stats().workers >= 1);
  });

  it('applies the duration limit of the upload class: 413 naming field, limit and class', async () => {
    await assert.rejects(audio.decode({ path: wavPath, format: 'wav', field: 'reference_audio', limitClass: 'reference' }), (error: unknown) => {
      assert.ok(error instanceof HubError);
      assert.equal(error.status, 413);
      assert.equal(error.message, "reference_audio: 1 s of audio exceeds the 0.5 s limit for 'reference' uploads");
      return true;
    });
  });

  it('decodes and mels in one job, from a file or from bytes, as decode + melSpectrogram would', async () => {
    const options = { sampleRate: 16000, nFft: 1024, hop: 256, nMels: 80, center: false, pad: 384, log: { type: 'ln', floor: 1e-5 } } as const;
    const pcm = await audio.decode({ path: wavPath, format: 'wav' }, { sampleRate: 16000 });
    const expected = await audio.melSpectrogram(pcm.channels[0]!, options);
    const bytes = new Uint8Array(await readFile(wavPath));
    for (const source of [{ path: wavPath, format: 'wav' }, { bytes, format: 'wav' }]) {
      const { samples, mel } = await audio.decodeMel(source, options, { minSamples: 256 });
      assert.equal(samples, 16000);
      assert.deepEqual(mel!.dims, expected.dims);
      assert.deepEqual(mel!.data, expected.data);
    }
    assert.equal(bytes.length > 0, true, 'the caller\'s bytes are not detached');
    const short = await audio.decodeMel({ bytes, format: 'wav' }, options, { minSamples: 16001 });
    assert.deepEqual(short, { samples: 16000, mel: undefined });
  });

  it('moves consumed bytes to the worker: the same result, the caller left empty, a second read refused', async () => {
    const options = { sampleRate: 16000, nFft: 1024, hop: 256, nMels: 80, center: false, pad: 384, log: { type: 'ln', floor: 1e-5 } } as const;
    const file = await readFile(wavPath);
    const copied = await audio.decodeMel({ bytes: new Uint8Array(file), format: 'wav' }, options);
    const upload = { bytes: new Uint8Array(file), format: 'wav', field: 'audio', filename: 'tone.wav', size: file.length, limitClass: 'content' as const, declaredType: 'audio/wav' };
    const moved = await audio.decodeMel(upload, options, { consume: true });
    assert.deepEqual(moved.mel!.data, copied.mel!.data);
    assert.equal(upload.bytes.byteLength, 0, 'the bytes left this thread instead of being copied');
    const refusal = /the 'audio' audio: its bytes were moved to an audio worker by an earlier decode with consume: true/;
    await assert.rejects(audio.decode(upload, { consume: true }), refusal);
    await assert.rejects(audio.decodeMel(upload, options), refusal);
    await assert.rejects(readUpload(upload), /upload 'audio': its bytes were moved/);
    // A view of a larger buffer cannot move alone: it is copied, and the buffer stays whole.
    const larger = new Uint8Array(file.length + 16);
    larger.set(file, 16);
    const view = larger.subarray(16);
    const pcm = await audio.decode({ bytes: view, format: 'wav' }, { consume: true, sampleRate: 16000 });
    assert.equal(pcm.channels[0]!.length, 16000);
    assert.equal(view.byteLength, file.length);
    assert.equal(larger.byteLength, file.length + 16);
  });

  it('keeps a 400 from the worker a 400, with its field', async () => {
    await assert.rejects(audio.decodeBytes(new Uint8Array(64), 'wav', { field: 'prompt' }), (error: unknown) => error instanceof HubError && error.status === 400 && error.param === 'prompt');
  });

  it('runs features, encoders and pictures in workers and returns their data', async () => {
    const mel = await audio.melSpectrogram(x, { sampleRate: 22050, nFft: 1024, hop: 256, nMels: 80, center: false, pad: 384, log: { type: 'ln', floor: 1e-5 } });
    assert.deepEqual(mel.dims, [80, Math.floor(22050 / 256)]);
    const wav = await audio.encode(x, 22050, 'flac');
    assert.equal(wav.contentType, 'audio/flac');
    const image = await audio.renderSpectrogram(x, 22050, { width: 200, height: 100 });
    assert.equal(image.contentType, 'image/png');
    const stacked = await audio.stackedFbank(await audio.resample(x, 22050, 16000), { sampleRate: 16000, numMelBins: 80, stack: 2 });
    assert.equal(stacked.dims[1], 160);
  });

  it('copies inputs rather than detaching the caller\'s arrays', async () => {
    await audio.timeStretch(x, 22050, 2);
    assert.equal(x.length, 22050);
    assert.ok(x[100] !== undefined);
  });

  it('answers an unsupported response format with 400 listing the supported ones', async () => {
    await assert.rejects(audio.encode(x, 22050, 'aac'), /response_format 'aac' is not supported; supported: wav, mp3, flac, opus, pcm, wav-float/);
  });

  it('rejects arguments that cannot cross to a worker, and the worker stays usable', async () => {
    const options = { nFft: 512, hop: 128, window: () => 'hann' } as unknown as Parameters<typeof audio.stft>[1];
    await assert.rejects(audio.stft(x, options), /could not be cloned/);
    const spec = await audio.stft(x, { nFft: 512, hop: 128 });
    assert.equal(spec.dims[0], 257);
  });

  it('splits a long pitch shift over its workers, and the result is the single-thread one bit for bit', async () => {
    const long = tone({ sampleRate: 8000, seconds: 9, frequency: 220 });
    for (let i = 0; i < long.length; i++) long[i]! += 0.1 * Math.sin(i * i * 1e-6);
    assert.equal(pitchShiftParts(long.length, 8000, 2).length, 2);
    const shifted = await audio.pitchShift(long, 8000, 5);
    const expected = pitchShift(long, 8000, 5);
    assert.equal(shifted.length, expected.length);
    let differ = 0;
    for (let i = 0; i < expected.length; i++) if (!Object.is(shifted[i], expected[i])) differ++;
    assert.equal(differ, 0);
    assert.equal(long.length, 72000, 'the caller keeps its input');
    // The result lives in shared memory; it goes on to other jobs like any array.
    const wav = await audio.encode(shifted, 8000, 'wav', { consume: true });
    assert.equal(wav.bytes.length, 44 + 2 * 72000);
    await assert.rejects(audio.pitchShift(long, 8000, 30), /semitones must be within/);
  });

  it('exposes the mel filterbank as a dense matrix', () => {
    const bank = audio.melFilterbank({ sampleRate: 16000, nFft: 400, nMels: 80 });
    assert.deepEqual(bank.dims, [80, 201]);
  });
});

describe('the worker pool under pressure', () => {
  it('answers 503 when the queue is full, and stops a job past its timeout (a decode then answers 400)', async () => {
    const audio = makeAudioToolkit({ config: config({ workers: 1, maxQueue: 1, jobTimeoutSeconds: 0.001 }) });
    try {
      const long = new Uint8Array(encodeWav([tone({ sampleRate: 48000, seconds: 30, frequency: 100 })], 48000));
      const first = audio.decodeBytes(long, 'wav', { sampleRate: 16000 });
      const second = audio.decodeBytes(long, 'wav');
      const third = audio.decodeBytes(long, 'wav');
      await assert.rejects(third, (error: unknown) => error instanceof HubError && error.status === 503 && /Retry-After|busy/.test(error.message + JSON.stringify(error.headers)));
      await assert.rejects(first, (error: unknown) => error instanceof HubError && error.status === 400 && /did not finish within/.test(error.message));
      await assert.rejects(second, (error: unknown) => error instanceof HubError && error.status === 400);
    } finally {
      await audio.close();
    }
  });
});
