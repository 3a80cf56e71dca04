// Vevo's route time by stage, and what the hub costs around it:
//   node --import tsx bench/vevo.ts        (or `npm run bench -- vevo`)
//
// POST /api/vc/vevo-voice (mode ar: features → AR → FM → vocoder) over HTTP on smoke graphs,
// its stages read from the route's Server-Timing header, against the same pipeline called
// in-process on bare onnxruntime sessions (no workers, no resident tensors: the loop modules
// run on this thread over a LoopIO that calls the sessions directly). Ratio of medians;
// target ≤ 1.10. Smoke graphs compute little besides their K/V outputs, so this isolates the
// hub's share; their AR steps still cost (every step writes the full cache, 12 layers × 16 heads).
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { seededRandom } from '../core/generation/rng.ts';
import { startHub } from '../core/hub.ts';
import type { TensorData } from '../core/onnx/graph-handle.ts';
import type { LoopIO, LoopTensor } from '../core/onnx/worker-loop.ts';
import type { PluginRuntime } from '../core/plugin/runtime.ts';
import type { HandlerContext } from '../core/plugin/context.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { sine, wavBytes } from '../test/support/wav.ts';
import flowLoop, { FLOW_SLOTS } from '../plugins/vevo-common/flow-loop.ts';
import { gaussianNoise } from '../plugins/vevo-common/flow-matching.ts';
import { promptMel } from '../plugins/vevo-common/mel.ts';
import { VEVO_ACOUSTIC } from '../plugins/vevo-common/settings.ts';
import { binsMajor, normaliseLoudness, VOCOS_ISTFT } from '../plugins/vevo-common/vocoder.ts';
import { graphs } from '../plugins/vevo/graphs.ts';
import arLoop from '../plugins/vevo-common/ar-loop.ts';
import { reduceDurations } from '../plugins/vevo/pipeline/duration.ts';
import { hubertInput, IDENTITY_STATS, normaliseFeatures } from '../plugins/vevo/pipeline/hubert-front.ts';
import { arLayout, arPrompt } from '../plugins/vevo/pipeline/token-layout.ts';
import { VEVO } from '../plugins/vevo/settings.ts';

const ROOT = join(import.meta.dirname, '..');
const CALLS = Number(process.env.BENCH_VEVO_CALLS ?? 5);
const FIELDS = { mode: 'ar', flow_matching_steps: 8, max_new_tokens: 8, seed: 5 };
const DEV_KEY = 'amphion-dev-key-change-in-production';

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A LoopIO straight over in-process sessions: what a plugin would write without the hub. */
function bareIO(sessions: Record<string, ort.InferenceSession>, residents: Record<string, TensorData>): LoopIO {
  const tensor = (type: TensorData['type'], data: TensorData['data'], dims: readonly number[]) => new ort.Tensor(type as 'float32', data as Float32Array, [...dims]);
  return {
    cancelled: false,
    async run(graph, feeds) {
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, t instanceof ort.Tensor ? t : tensor((t as TensorData).type, (t as TensorData).data, (t as TensorData).dims)]));
      return (await sessions[graph]!.run(inputs)) as Record<string, LoopTensor>;
    },
    resident: (slot) => tensor(residents[slot]!.type, residents[slot]!.data, residents[slot]!.dims),
    tensor,
    emit() {},
    progress() {},
    throwIfCancelled() {},
  };
}

/** The route's pipeline (vevo-voice, mode ar) on bare sessions. */
async function bareVoice(ctx: HandlerContext, sessions: Record<string, ort.InferenceSession>, source: string, reference: string): Promise<number> {
  const started = performance.now();
  const io = bareIO(sessions, {});
  const clip = async (path: string) => {
    const at24k = (await ctx.audio.decode({ path, format: 'wav' }, { sampleRate: 24000 })).channels[0]!;
    return { at24k, at16k: await ctx.audio.resample(at24k, 24000, 16000) };
  };
  const [src, ref] = [await clip(source), await clip(reference)];
  const features = async (wav: Float32Array) => {
    const input = hubertInput(wav);
    const out = await sessions.hubert!.run({ waveform: new ort.Tensor('float32', input, [1, input.length]) });
    return out.features!;
  };
  const refFeatures = await features(ref.at16k);
  const refTokens = Array.from((await sessions.content_style_tokenizer!.run({ features: new ort.Tensor('float32', normaliseFeatures(refFeatures.data as Float32Array, IDENTITY_STATS), refFeatures.dims) })).ids!.data as BigInt64Array, Number);
  const both = new Float32Array(ref.at16k.length + src.at16k.length);
  both.set(ref.at16k);
  both.set(src.at16k, ref.at16k.length);
  const content = reduceDurations(Array.from((await sessions.content_tokenizer!.run({ features: await features(both) })).ids!.data as BigInt64Array, Number)).map((id) => id + 1024);
  const layout = arLayout(VEVO.ar.vc.inputVocab, 8192);
  const { layers, heads, headDim } = VEVO.ar.vc;
  const ar = await arLoop.run(io, { graph: 'ar_vc', prompt: arPrompt(layout, content, refTokens), layout, cache: { layers, heads, headDim }, temperature: 0.8, topK: 50, topP: 0.9, minNewTokens: 50, maxNewTokens: FIELDS.max_new_tokens, seed: 5 });
  const prompt = await promptMel(ctx.audio, ref.at24k);
  const condIds = [...refTokens, ...ar.tokens];
  const cond = (await sessions.fm_cond!.run({ cond_ids: new ort.Tensor('int64', BigInt64Array.from(condIds, BigInt), [1, condIds.length]) })).cond!;
  const target = condIds.length - prompt.frames;
  const mel = await flowLoop.run(bareIO(sessions, { [FLOW_SLOTS.prompt]: { type: 'float32', data: prompt.mel, dims: [1, prompt.frames, 128] }, [FLOW_SLOTS.cond]: { type: 'float32', data: cond.data as Float32Array, dims: [...cond.dims] } }), {
    noise: gaussianNoise(target * 128, seededRandom(5)), promptFrames: prompt.frames, targetFrames: target, bins: 128, hidden: 1024, steps: FIELDS.flow_matching_steps, cfg: 1, rescale: 0.75,
  });
  const spec = await sessions.vocoder!.run({ mel: new ort.Tensor('float32', binsMajor(mel, target, 128), [1, 128, target]) });
  const audio = await ctx.audio.istft({ re: spec.real!.data as Float32Array, im: spec.imag!.data as Float32Array, dims: [VEVO_ACOUSTIC.vocosBins, target] }, { ...VOCOS_ISTFT, length: target * 480 });
  await ctx.audio.encode(normaliseLoudness(audio), 24000, 'wav');
  return performance.now() - started;
}

async function overHttp(url: string, source: Blob, reference: Blob): Promise<{ ms: number; stages: Record<string, number> }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(FIELDS)) form.set(k, String(v));
  form.set('source_audio', source, 'source.wav');
  form.set('reference_audio', reference, 'reference.wav');
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', body: form, headers: { 'X-API-Key': DEV_KEY } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`vevo-voice answered ${res.status}`);
  const ms = performance.now() - started;
  const stages = Object.fromEntries((res.headers.get('server-timing') ?? '').split(', ').map((s) => s.split(';dur=')).map(([k, v]) => [k!, Number(v)]));
  return { ms, stages };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-vevo-'));
  const hub = await startHub({
    overrides: { server: { port: 0, host: '127.0.0.1' }, dataDir, logLevel: 'warn', rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 } },
    env: { NODE_ENV: 'development' },
  });
  try {
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.config.dataDir, plugins.filter((p) => p.decl.name === 'vevo'));
    const runtime = hub.container.resolve<PluginRuntime>('runtime');
    const ctx = runtime.contextFor('vevo', { signal: new AbortController().signal, requestId: 'bench' });
    const folder = join(hub.config.dataDir, 'models', 'vevo');
    const sessions = Object.fromEntries(await Promise.all(Object.entries(graphs).map(async ([name, c]) => [name, await ort.InferenceSession.create(join(folder, c.file))] as const)));
    const [source, reference] = [join(dataDir, 'source.wav'), join(dataDir, 'reference.wav')];
    await writeFile(source, wavBytes(sine({ seconds: 1, sampleRate: 24000, frequency: 180 }), 24000));
    await writeFile(reference, wavBytes(sine({ seconds: 1, sampleRate: 24000, frequency: 220 }), 24000));
    const [sourceBlob, referenceBlob] = [new Blob([await readFile(source)]), new Blob([await readFile(reference)])];
    const url = `${hub.url}/api/vc/vevo-voice`;
    console.log(`vevo bench: vevo-voice mode=ar, 1 s clips, ${FIELDS.max_new_tokens} AR tokens, ${FIELDS.flow_matching_steps} FM steps, smoke graphs, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
    for (let i = 0; i < 2; i++) {
      await overHttp(url, sourceBlob, referenceBlob);
      await bareVoice(ctx, sessions, source, reference);
    }
    const http: number[] = [];
    const bare: number[] = [];
    const stages: Record<string, number[]> = {};
    for (let i = 0; i < CALLS; i++) {
      const r = await overHttp(url, sourceBlob, referenceBlob);
      http.push(r.ms);
      for (const [k, v] of Object.entries(r.stages)) (stages[k] ??= []).push(v);
      bare.push(await bareVoice(ctx, sessions, source, reference));
    }
    console.log(`stages over HTTP (p50): ${Object.entries(stages).map(([k, v]) => `${k} ${median(v).toFixed(1)} ms`).join(', ')}`);
    const ratio = median(http) / median(bare);
    console.log(`route p50 ${median(http).toFixed(1)} ms over HTTP, bare in-process loop p50 ${median(bare).toFixed(1)} ms: ratio ${ratio.toFixed(3)} (target <= 1.10) ${ratio <= 1.1 ? 'ok' : 'MISSED'}`);
  } finally {
    await hub.close();
  }
}

await main();
