// The shared Whisper-encoder feature step on a smoke graph of the medium encoder's contract, run
// by onnxruntime: the front end is Whisper's own (one 30 s window = what transcription feeds the
// encoder), features come out 50 per second cropped to the clip, and a clip past 30 s is
// encoded window by window instead of being cut.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { melSpectrogram } from '../../core/audio/dsp/mel-spectrogram.ts';
import { sessionHandle, type CountingHandle } from '../../test/support/session-handle.ts';
import { melWindow, whisperMel } from '../whisper/log-mel.ts';
import { whisperEncoderGraph, WHISPER_ENCODERS } from './contract.ts';
import { whisperFeatures, windowCount, windowMel } from './features.ts';

const audio = { melSpectrogram: async (s: Float32Array, o: Parameters<typeof melSpectrogram>[1]) => melSpectrogram(s, o) };
const tone = (seconds: number, hz = 220) => Float32Array.from({ length: Math.round(seconds * 16000) }, (_, i) => 0.4 * Math.sin((2 * Math.PI * hz * i) / 16000));
const contract = whisperEncoderGraph(WHISPER_ENCODERS.medium);
const D = 1024;

async function encodeAlone(graph: CountingHandle, mel: Float32Array): Promise<Float32Array> {
  return (await graph.run({ mel: { type: 'float32', data: mel, dims: [1, 80, 3000] } })).features!.data as Float32Array;
}

describe('Whisper encoder features (plugins/whisper-encoder)', () => {
  let graph: CountingHandle;
  before(async () => {
    graph = await sessionHandle('whisper_encoder', contract);
  });

  it('declares mel [batch, 80, 3000] → features [batch, 1500, 1024] for medium', () => {
    assert.deepEqual(contract.inputs[0].dims, ['batch', 80, 3000]);
    assert.deepEqual(contract.outputs[0].dims, ['batch', 1500, D]);
  });

  it("analyses a short clip as Whisper's transcription does its first window (pad_or_trim to 30 s)", async () => {
    const clip = tone(2.5);
    const ours = await windowMel(audio, clip, 80);
    const { mel } = await whisperMel({ melSpectrogram: audio.melSpectrogram } as never, clip, 80);
    assert.deepEqual(ours, melWindow(mel, 0, 3000));
  });

  it('returns floor(samples / 320) frames of the encoder output, frame-major', async () => {
    const clip = tone(2.5);
    const before = graph.runs;
    const features = await whisperFeatures(graph, audio, clip);
    assert.equal(graph.runs - before, 1);
    assert.deepEqual([features.frames, features.dim], [125, D]);
    const whole = await encodeAlone(graph, await windowMel(audio, clip, 80));
    assert.deepEqual(features.data, whole.subarray(0, 125 * D));
  });

  it('encodes a 65 s clip as three 30 s windows and joins their features (nothing after 30 s is dropped)', async () => {
    const clip = tone(65, 330);
    for (let i = 480000; i < 960000; i++) clip[i] = clip[i]! * 0.1; // a quieter second window
    assert.equal(windowCount(clip.length), 3);
    const before = graph.runs;
    const features = await whisperFeatures(graph, audio, clip);
    assert.equal(graph.runs - before, 3);
    assert.equal(features.frames, 3250);
    const second = await encodeAlone(graph, await windowMel(audio, clip.subarray(480000, 960000), 80));
    assert.deepEqual(features.data.subarray(1500 * D, 3000 * D), second);
    // the windows differ (the smoke graph depends on its input), so the join is not one window repeated
    assert.notDeepEqual(features.data.subarray(0, D), features.data.subarray(1500 * D, 1501 * D));
  });

  it('pads a longer request by repeating the last frame, and crops a shorter one', async () => {
    const clip = tone(1);
    const long = await whisperFeatures(graph, audio, clip, { frames: 1503 });
    assert.deepEqual(long.data.subarray(1502 * D), long.data.subarray(1499 * D, 1500 * D));
    const short = await whisperFeatures(graph, audio, clip, { frames: 10 });
    assert.deepEqual(short.data, long.data.subarray(0, 10 * D));
  });
});
