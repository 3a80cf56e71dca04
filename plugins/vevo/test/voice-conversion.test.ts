// Vevo's `voice-conversion` capability on smoke graphs, through the hub's capability
// registry as a surface would call it: a recording longer than one Vevo piece comes back
// at 24 kHz with its length kept, converted (not the input, not silence) piece by piece.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { VoiceConversionCapability } from '../../../core/capabilities.ts';
import { loadPlugins } from '../../../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../../../test/support/smoke.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const REGISTRY = join(import.meta.dirname, 'fixtures', 'registry-vevo.json');

function tone(seconds: number, rate: number, hz: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / rate));
}

describe('Vevo as a voice-conversion capability', () => {
  let hub: TestHub;
  before(async () => {
    hub = await startTestHub({ registry: REGISTRY });
    await installSmokeGraphs(hub.dataDir, await loadPlugins(REGISTRY, ROOT));
  });
  after(() => hub.stop());

  it('is listed with domain speech and keeps the length of a 27-s source cut into two pieces', async () => {
    const runtime = hub.container.resolve('runtime') as { list<T>(kind: string): { plugin: string; capability: T; ready(): Promise<void>; context(b: { signal: AbortSignal; requestId: string; progress?: (f: number, m?: string, stage?: string) => void }): never }[] };
    const providers = runtime.list<VoiceConversionCapability>('voice-conversion');
    const vevo = providers.find((p) => p.plugin === 'vevo');
    assert.ok(vevo, `providers: ${providers.map((p) => p.plugin).join(', ')}`);
    assert.equal(vevo.capability.domain, 'speech');
    await vevo.ready();
    const fractions: number[] = [];
    const ctx = vevo.context({ signal: new AbortController().signal, requestId: 'vc-test', progress: (f, _m, stage) => stage === 'convert' && fractions.push(f) });
    const source = tone(27, 16000, 220);
    const result = await vevo.capability.convert({ source: { samples: source, sampleRate: 16000 }, reference: { samples: tone(2, 24000, 150), sampleRate: 24000 }, steps: 1, seed: 5 }, ctx);
    assert.equal(result.sampleRate, 24000);
    assert.equal(result.audio.length, Math.ceil((source.length * 24000) / 16000));
    assert.equal(fractions.length, 2, 'two pieces (Vevo reads at most 30 s of source)');
    const energy = result.audio.reduce((s, v) => s + v * v, 0);
    assert.ok(energy > 0 && Number.isFinite(energy), 'converted audio, not silence');
  });
});
