// Noro's route time by stage, and the JavaScript it runs around the graphs:
//   node --import tsx bench/noro.ts        (or `npm run bench -- noro`)
//
// POST /api/vc/noro (features → diffusion → vocoder) over HTTP on smoke graphs with the
// default 200 sampler steps, its stages read from the Server-Timing header, against the same
// sampler loop run in-process on a bare onnxruntime session (no worker, no resident tensors):
// ratio of medians, target ≤ 1.10. Then the F0 tracker and the reference mel on the longest
// clips the route takes (30 s source, 20 s target), which the route runs off the main thread.
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { melSpectrogram } from '../core/audio/dsp/mel-spectrogram.ts';
import { gaussianStream, seededRandom } from '../core/generation/rng.ts';
import { startHub } from '../core/hub.ts';
import type { LoopIO, LoopTensor } from '../core/onnx/worker-loop.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { sine, wavBytes } from '../test/support/wav.ts';
import { graphs } from '../plugins/noro/graphs.ts';
import { reverseDiffusion } from '../plugins/noro/pipeline/diffusion-loop.ts';
import { pitchContour } from '../plugins/noro/pipeline/pitch.ts';
import { NORO } from '../plugins/noro/settings.ts';

const ROOT = join(import.meta.dirname, '..');
const CALLS = Number(process.env.BENCH_NORO_CALLS ?? 5);
const SECONDS = 4;
const DEV_KEY = 'amphion-dev-key-change-in-production';
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function overHttp(url: string, source: Blob, target: Blob): Promise<Record<string, number>> {
  const form = new FormData();
  form.set('seed', '5');
  form.set('source_audio', source, 'source.wav');
  form.set('target_audio', target, 'target.wav');
  const res = await fetch(url, { method: 'POST', body: form, headers: { 'X-API-Key': DEV_KEY } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`noro answered ${res.status}`);
  return Object.fromEntries((res.headers.get('server-timing') ?? '').split(', ').map((s) => s.split(';dur=')).map(([k, v]) => [k!, Number(v)]));
}

/** The sampler loop straight over an in-process estimator session. */
async function bareDiffusion(estimator: ort.InferenceSession, frames: number): Promise<number> {
  const bins = NORO.melBins;
  const condition = new ort.Tensor('float32', new Float32Array(frames * NORO.hidden), [1, frames, NORO.hidden]);
  const speaker = new ort.Tensor('float32', new Float32Array(NORO.speakerQueries * NORO.hidden), [1, NORO.speakerQueries, NORO.hidden]);
  const io: LoopIO = {
    cancelled: false,
    run: async (_graph, feeds) => (await estimator.run(feeds as Record<string, ort.Tensor>)) as Record<string, LoopTensor>,
    resident: (slot) => (slot === 'condition' ? condition : speaker),
    tensor: (type, data, dims) => new ort.Tensor(type as 'float32', data as Float32Array, [...dims]),
    emit() {},
    progress() {},
    throwIfCancelled() {},
  };
  const start = gaussianStream(seededRandom(5))(frames * bins);
  const started = performance.now();
  await reverseDiffusion(io, { start, frames, bins, steps: NORO.steps, schedule: NORO.schedule });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-noro-'));
  const hub = await startHub({
    overrides: { server: { port: 0, host: '127.0.0.1' }, dataDir, logLevel: 'warn', rateLimit: { perMinute: 1_000_000, perHour: 10_000_000 } },
    env: { NODE_ENV: 'development' },
  });
  try {
    const plugins = await loadPlugins(join(ROOT, 'registry', 'plugins.json'), ROOT);
    await installSmokeGraphs(hub.config.dataDir, plugins.filter((p) => p.decl.name === 'noro'));
    const estimator = await ort.InferenceSession.create(join(hub.config.dataDir, 'models', 'noro', graphs.estimator.file));
    const source = new Blob([wavBytes(sine({ seconds: SECONDS, sampleRate: 16000, frequency: 180 }), 16000)]);
    const target = new Blob([wavBytes(sine({ seconds: 2, sampleRate: 16000, frequency: 220 }), 16000)]);
    const frames = (Math.floor((SECONDS * 16000) / 1600) + 1) * 8;
    console.log(`noro bench: ${SECONDS} s source, 2 s target, ${NORO.steps} steps, smoke graphs, node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
    const url = `${hub.url}/api/vc/noro`;
    await overHttp(url, source, target);
    await bareDiffusion(estimator, frames);
    const stages: Record<string, number[]> = {};
    const bare: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      for (const [k, v] of Object.entries(await overHttp(url, source, target))) (stages[k] ??= []).push(v);
      bare.push(await bareDiffusion(estimator, frames));
    }
    console.log(`stages over HTTP (p50): ${Object.entries(stages).map(([k, v]) => `${k} ${median(v).toFixed(1)} ms`).join(', ')}`);
    const ratio = median(stages.diffusion!) / median(bare);
    console.log(`diffusion stage p50 ${median(stages.diffusion!).toFixed(1)} ms in the worker, bare in-process loop p50 ${median(bare).toFixed(1)} ms: ratio ${ratio.toFixed(3)} (target <= 1.10) ${ratio <= 1.1 ? 'ok' : 'MISSED'}`);

    const long = sine({ seconds: NORO.maxSourceSeconds, sampleRate: 16000, frequency: 150 });
    let started = performance.now();
    pitchContour(long, long.length / NORO.hop);
    console.log(`F0 contour of a ${NORO.maxSourceSeconds} s source: ${(performance.now() - started).toFixed(0)} ms (in the ONNX worker in the route)`);
    const ref = sine({ seconds: NORO.maxReferenceSeconds, sampleRate: 16000, frequency: 220 });
    started = performance.now();
    melSpectrogram(ref, NORO.mel);
    console.log(`mel of a ${NORO.maxReferenceSeconds} s target: ${(performance.now() - started).toFixed(0)} ms (in the audio workers in the route)`);
  } finally {
    await hub.close();
  }
}

await main();
