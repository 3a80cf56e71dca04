// The four Vevo routes end to end over HTTP on smoke graphs: the real hub, phonemizer, audio
// toolkit and onnxruntime sessions, the AR and FM loops running in the ONNX worker.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeWaveToFloat32Channels } from '@echogarden/wave-codec';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, wavBlobFor, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevo.json');

function form(fields: Record<string, string | number>, clips: Record<string, number>): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, String(value));
  for (const [name, seconds] of Object.entries(clips)) body.set(name, wavBlobFor({ seconds, sampleRate: 24000, frequency: 180 }), `${name}.wav`);
  return body;
}

async function post(hub: TestHub, path: string, body: FormData) {
  const res = await hub.call(`/api${path}`, { method: 'POST', body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes, text: () => new TextDecoder().decode(bytes) };
}

function wav(bytes: Uint8Array) {
  const { audioChannels, sampleRate } = decodeWaveToFloat32Channels(bytes);
  return { samples: audioChannels[0]!, sampleRate };
}

const rmsDb = (x: Float32Array) => 20 * Math.log10(Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length));

describe('Vevo routes on smoke graphs', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  // HuBERT gives floor((S − 80)/320) frames: 49 for a 1 s clip, whose mel prompt has 50 frames.
  // reverse_diffusion makes len(cond) − len(prompt) frames.
  it('timbre: the source\'s tokens after the reference prompt give len(cond) − len(prompt) mel frames of 24 kHz audio at −25 dB', async () => {
    const { res, bytes, text } = await post(hub, '/vc/vevo-timbre', form({ flow_matching_steps: 2, seed: 3 }, { source_audio: 1, reference_audio: 1 }));
    assert.equal(res.status, 200, text());
    assert.equal(res.headers.get('x-weight-state'), 'smoke');
    assert.equal(res.headers.get('x-seed'), '3');
    assert.match(res.headers.get('server-timing') ?? '', /^features;dur=[\d.]+, fm;dur=[\d.]+, vocoder;dur=[\d.]+$/);
    const { samples, sampleRate } = wav(bytes);
    assert.equal(sampleRate, 24000);
    // 49 reference + 49 source tokens − 50 prompt frames = 48 frames
    assert.equal(samples.length, 48 * 480);
    assert.ok(Math.abs(rmsDb(samples) - -25) < 0.2, `rms ${rmsDb(samples)} dB`);
  });

  it('voice (AR + FM): the AR writes max_new_tokens tokens, each one mel frame', async () => {
    const { res, bytes, text } = await post(hub, '/vc/vevo-voice', form({ mode: 'ar', flow_matching_steps: 2, max_new_tokens: 6, seed: 3 }, { source_audio: 1, reference_audio: 1 }));
    assert.equal(res.status, 200, text());
    assert.match(res.headers.get('server-timing') ?? '', /^features;dur=[\d.]+, ar;dur=[\d.]+, fm;dur=[\d.]+, vocoder;dur=[\d.]+$/);
    // cond = 49 reference tokens + 6 generated; prompt 50 mel frames → 5 frames
    assert.equal(wav(bytes).samples.length, 5 * 480);
  });

  it('voice with mode=fm is timbre conversion, and the same seed gives the same audio', async () => {
    const fm = await post(hub, '/vc/vevo-voice', form({ mode: 'fm', flow_matching_steps: 2, seed: 9 }, { source_audio: 1, reference_audio: 1 }));
    const timbre = await post(hub, '/vc/vevo-timbre', form({ flow_matching_steps: 2, seed: 9 }, { source_audio: 1, reference_audio: 1 }));
    assert.equal(fm.res.status, 200, fm.text());
    assert.deepEqual(fm.bytes, timbre.bytes);
  });

  it('style: the source is its own timbre reference', async () => {
    const { res, bytes, text } = await post(hub, '/vc/vevo-style', form({ flow_matching_steps: 2, max_new_tokens: 4, seed: 3 }, { source_audio: 0.6, reference_audio: 1 }));
    assert.equal(res.status, 200, text());
    // timbre = the 0.6 s source: 29 HuBERT frames, 30 mel frames → 29 + 4 − 30 = 3
    assert.equal(wav(bytes).samples.length, 3 * 480);
  });

  it('tts speaks text with the reference transcript, in both modes', async () => {
    for (const mode of ['fm', 'ar']) {
      const { res, bytes, text } = await post(hub, '/tts/vevo', form({ text: 'Hello there.', reference_text: 'A reference voice.', mode, flow_matching_steps: 2, max_new_tokens: 5, seed: 3 }, { reference_audio: 1 }));
      assert.equal(res.status, 200, text());
      assert.equal(wav(bytes).samples.length, (49 + 5 - 50) * 480);
    }
  });

  it('refuses bad input with a detail naming the field', async () => {
    const cases: [string, FormData, number, RegExp][] = [
      ['/vc/vevo-timbre', form({ flow_matching_steps: 129 }, { source_audio: 1, reference_audio: 1 }), 422, /flow_matching_steps/],
      ['/vc/vevo-timbre', form({ flow_matching_steps: 0 }, { source_audio: 1, reference_audio: 1 }), 422, /flow_matching_steps/],
      ['/vc/vevo-voice', form({ mode: 'xx' }, { source_audio: 1, reference_audio: 1 }), 422, /mode.*(ar|fm)/],
      ['/vc/vevo-timbre', form({}, { reference_audio: 1 }), 400, /source_audio/],
      ['/vc/vevo-timbre', form({}, { source_audio: 0.05, reference_audio: 1 }), 400, /source_audio: .*at least/],
      ['/vc/vevo-timbre', form({}, { source_audio: 1, reference_audio: 21 }), 422, /reference_audio: .*limit is 20 s/],
      ['/tts/vevo', form({ text: 'Hi.' }, { reference_audio: 1 }), 422, /reference_text/],
      ['/vc/vevo-voice', form({ max_new_tokens: 1, flow_matching_steps: 1 }, { source_audio: 1, reference_audio: 0.5 }), 422, /max_new_tokens/],
      // 30 s of source after 20 s of reference: more than the AR's 2000 positions
      ['/vc/vevo-voice', form({ flow_matching_steps: 1 }, { source_audio: 30, reference_audio: 20 }), 422, /AR prompt; the model's limit is 2000 tokens/],
    ];
    for (const [path, body, status, detail] of cases) {
      const { res, text } = await post(hub, path, body);
      assert.equal(res.status, status, `${path}: ${text()}`);
      assert.match((JSON.parse(text()) as { detail: string }).detail, detail);
    }
    const notAudio = new FormData();
    notAudio.set('source_audio', new Blob(['not audio at all, just text']), 'a.wav');
    notAudio.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000 }), 'r.wav');
    assert.equal((await post(hub, '/vc/vevo-timbre', notAudio)).res.status, 415);
    const empty = new FormData();
    empty.set('source_audio', new Blob([]), 'empty.wav');
    empty.set('reference_audio', wavBlobFor({ seconds: 1, sampleRate: 24000 }), 'r.wav');
    const emptied = await post(hub, '/vc/vevo-timbre', empty);
    assert.ok([400, 415].includes(emptied.res.status), emptied.text());
    assert.match((JSON.parse(emptied.text()) as { detail: string }).detail, /source_audio/);
  });
});
