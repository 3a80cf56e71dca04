// Whisper on the hub's session manager: the encoder's keys/values and the decoder's cache
// stay in the worker, the whole decode runs there, and per decode step (almost) nothing
// crosses threads; the tokens are those of the by-value path on the same scripted graphs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { smokeGraphBytes } from '../../core/onnx/smoke-graph.ts';
import type { HandlerContext } from '../../core/plugin/context.ts';
import type { PluginRuntime } from '../../core/plugin/runtime.ts';
import { loadPlugins } from '../../core/registry/load-registry.ts';
import { setupManager, type ManagerSetup } from '../../test/onnx/support/manager.ts';
import { installSmokeGraphs } from '../../test/support/smoke.ts';
import { startTestHub, type TestHub } from '../../test/support/test-hub.ts';
import { whisperGraphs } from './contracts.ts';
import { decodeOnce, type DecodeSettings } from './decode-loop.ts';
import { encodeWindow, openDecoderSession, openWhisperGraphs } from './graph-session.ts';
import { makeWhisperPlugin } from './plugin.ts';
import { PRESETS } from './presets.ts';
import { scriptedDecoderBytes } from './scripted-decoder.ts';
import { startSequence } from './special-tokens.ts';
import { whisperVocabulary } from './whisper-tokenizer.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const preset = PRESETS.base;
const graphs = whisperGraphs(preset);
const STEP_BUDGET = 64 * 1024;

describe('whisper decoding with its state resident in the worker', () => {
  let hub: TestHub;
  let setup: ManagerSetup;
  let ctx: HandlerContext;
  let settings: DecodeSettings;
  before(async () => {
    hub = await startTestHub();
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.dataDir, plugins.filter((p) => p.decl.name === 'whisper'));
    const base = hub.container.resolve<PluginRuntime>('runtime').contextFor('whisper', { signal: new AbortController().signal, requestId: 'resident' });
    const vocabulary = await whisperVocabulary(base, preset);
    settings = { tokens: vocabulary.tokens, prompt: startSequence(vocabulary.tokens, 'zh', true), maxNewTokens: 224, timestamps: true, suppressed: vocabulary.suppressed, blank: vocabulary.blank };

    setup = setupManager({ workers: 1 });
    const plugin = setup.pluginOf(makeWhisperPlugin({ name: 'whisper-scripted', title: 'scripted', path: '/transcribe/scripted', preset }));
    setup.write(plugin, 'encoder.onnx', smokeGraphBytes(graphs.encoder, { plugin: 'whisper', graph: 'encoder' }));
    setup.write(plugin, 'decoder.onnx', scriptedDecoderBytes(graphs.decoder, { firstText: 1000, endAt: 40, eot: vocabulary.tokens.eot, vocab: preset.vocab }));
    ctx = { ...base, graphs: setup.manager.handlesFor(plugin) };
  });
  after(async () => {
    await setup?.close();
    await hub?.stop();
  });

  it(`gives the by-value result with under ${STEP_BUDGET / 1024} KB per step crossing threads`, { timeout: 120_000 }, async (t) => {
    const window = new Float32Array(preset.nMels * 3000);
    const byValue = await decodeOnce(openDecoderSession(ctx, preset, await encodeWindow(ctx, preset, window)), settings, 0);

    const whisper = await openWhisperGraphs(ctx, preset);
    const encoded = await whisper.encode(window);
    const crossedBefore = setup.manager.traffic.bytes;
    const resident = await whisper.openDecoder(encoded).decode!(settings, 0);
    const crossed = setup.manager.traffic.bytes - crossedBefore;
    await whisper.close();

    assert.deepEqual(resident, byValue);
    assert.equal(resident.ended, true);
    const steps = resident.tokens.length + 1;
    t.diagnostic(`${steps} decode steps, ${crossed} bytes crossed threads (${(crossed / steps).toFixed(0)} per step)`);
    assert.ok(steps > 30, `${steps} steps`);
    assert.ok(crossed / steps < STEP_BUDGET, `${crossed} bytes over ${steps} steps`);
    const stats = (await setup.manager.workerStats())[0]!;
    assert.deepEqual({ residents: stats.residents, loops: stats.loops }, { residents: 0, loops: 0 }, 'closing frees the keys/values');
  });

  it('detects the language from resident state, as the by-value path does', async () => {
    const whisper = await openWhisperGraphs(ctx, preset);
    const window = new Float32Array(preset.nMels * 3000).fill(0.1);
    const [rowResident] = await whisper.openDecoder(await whisper.encode(window)).feed([settings.tokens.sot]);
    const [rowByValue] = await openDecoderSession(ctx, preset, await encodeWindow(ctx, preset, window)).feed([settings.tokens.sot]);
    assert.deepEqual(rowResident, rowByValue);
    await whisper.close();
  });
});
