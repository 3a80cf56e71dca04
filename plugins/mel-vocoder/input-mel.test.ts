// What the HiFi-GAN and BigVGAN routes feed their generator when they re-synthesise an upload:
// the mel of the installed checkpoint's preset (here 22.05 kHz, 80 bins, fmax 8 kHz,
// meldataset.py's ln-mel: HiFi-GAN's, and BigVGAN base 22 kHz's as its config.json says),
// checked against torch's values for the same signal (test/audio/fixtures,
// scripts/reference/make-fixtures.py).
// The installed generator is a real ONNX graph with the plugin's contract that writes its input
// mel, scaled by 1/16, into the first 80·frames samples of its output; the route's 32-bit float
// WAV then carries the mel back to the test.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { attr, makeGraphBuilder } from '../../core/onnx/graph-builder.ts';
import { encodeModel } from '../../core/onnx/onnx-proto.ts';
import { ELEMENT_INFO } from '../../core/onnx/tensor-types.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { decodeArray, loadSpectra, maxAbsError, referenceSignal, type SignalSpec, type StoredArray } from '../../test/audio/support/reference-signals.ts';
import type { TestHub } from '../../test/support/test-hub.ts';
import { wavBytes } from '../../test/support/wav.ts';
import bigvgan from '../bigvgan/index.ts';
import hifigan from '../hifigan/index.ts';
import { installAsCheckpoint, post, startVocoderHub, wavOf } from './test-support.ts';

const SCALE = 16;

/** mel [b, 80, F] → audio [b, 1, 256·F]: the mel (bin-major) / 16, then zeros. */
function melEchoGraph(contract: GraphContract, nMels: number): Uint8Array {
  const g = makeGraphBuilder('_echo');
  for (const t of contract.inputs) g.input({ name: t.name, elemType: ELEMENT_INFO[t.type].onnx, dims: t.dims });
  const frames = g.node('Shape', ['mel'], [attr.int('start', 2), attr.int('end', 3)]);
  const flat = g.node('Reshape', [g.node('Div', ['mel', g.float(SCALE)]), g.int64([0, 1, -1])]);
  const padding = g.node('Mul', [frames, g.int64([256 - nMels])]);
  const pads = g.node('Concat', [g.int64([0, 0, 0, 0, 0]), padding], [attr.int('axis', 0)]);
  g.node('Pad', [flat, pads], [], 'audio');
  for (const t of contract.outputs) g.output({ name: t.name, elemType: ELEMENT_INFO[t.type].onnx, dims: t.dims });
  return encodeModel(g.build({ graphName: 'generator.mel-echo', opset: 17 }));
}

const AUDIO_22K = { sampling_rate: 22050, num_mels: 80, n_fft: 1024, hop_size: 256, win_size: 1024, fmin: 0, fmax: 8000 };
const CHECKPOINTS = [
  { plugin: hifigan, config: { ...AUDIO_22K, resblock: '1', upsample_initial_channel: 512 } },
  {
    plugin: bigvgan,
    config: { ...AUDIO_22K, resblock: '1', upsample_rates: [8, 8, 2, 2], upsample_kernel_sizes: [16, 16, 4, 4], upsample_initial_channel: 512, activation: 'snakebeta', snake_logscale: true },
  },
];

describe('vocoder re-synthesis feeds the generator the preset mel', () => {
  let hub: TestHub;
  const restore: (() => Promise<void>)[] = [];
  before(async () => {
    hub = await startVocoderHub();
    for (const { plugin, config } of CHECKPOINTS) {
      // the checkpoint's stand-in graphs first, then the echo in place of its generator
      restore.push(await installAsCheckpoint(hub, plugin.name, config));
      await writeFile(join(hub.dataDir, 'models', plugin.name, 'generator.onnx'), melEchoGraph(plugin.graphs!.generator!, 80));
    }
  });
  after(async () => {
    for (const undo of restore) await undo();
    await hub.stop();
  });

  for (const { plugin } of CHECKPOINTS) {
    it(`${plugin.name}: matches torch's 22.05 kHz / 80-bin / fmax 8 kHz ln-mel of the uploaded audio within 1e-4`, async () => {
      const reference = loadSpectra().log_mel_22050_80_slaney!;
      const signal = referenceSignal(reference.signal as SignalSpec);
      const expected = decodeArray(reference.expected as StoredArray);
      const [bins, frames] = (reference.expected as StoredArray).shape as [number, number];
      const upload = new Blob([wavBytes(signal, 22050, 32, 'float')]);
      const res = await post(hub, `/api/vocoder/${plugin.name}`, { blob: upload, name: 'a.wav' }, { response_format: 'wav-float' });
      // a checkpoint's graph (not smoke); its files carry no registry pin, so it reads unverified
      assert.ok(['installed', 'unverified'].includes(res.headers.get('x-weight-state') ?? ''), res.headers.get('x-weight-state') ?? 'no state');
      const { samples, sampleRate } = await wavOf(res);
      assert.equal(sampleRate, 22050);
      assert.equal(samples.length, frames * 256);
      const fed = Float32Array.from(samples.subarray(0, bins * frames), (v) => v * SCALE);
      const error = maxAbsError(fed, expected);
      assert.ok(error <= 1e-4, `max |fed − torch| = ${error}`);
    });
  }
});
