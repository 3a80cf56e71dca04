// AudioLDM's denoising loop, measured side by side in one run:
//   node --import tsx bench/audioldm.ts        (or `npm run bench -- audioldm`)
//
// 1. Per-step time of the DDIM + CFG loop (denoise-loop.ts) over the plugin's smoke UNet
//    (5 s: latent [1, 8, 125, 16], 50 steps), run through the hub (a GraphSession in the ONNX
//    worker, embeddings resident) vs the same loop module over a bare onnxruntime session in
//    a plain worker thread (test/support/bare-loop-io.ts). The smoke graph does little work,
//    so what is compared is what the hub adds per step. Target ≤ 1.05×.
// 2. Guidance: cond + uncond as one UNet run of batch 2 vs two runs of batch 1, through the
//    hub, on the smoke UNet and on the stand-in UNet (a few elementwise ops), and, when
//    BENCH_AUDIOLDM_UNET names an exported unet.onnx (export_audioldm.py), on that graph:
//    only there does the UNet's own work decide which is faster (BENCH_STEPS, BENCH_ROUNDS
//    keep such a run short).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { loadConfig } from '../core/config/load-config.ts';
import { makeLogger } from '../core/log/logger.ts';
import { makeSessionManager } from '../core/onnx/session-manager.ts';
import { smokeGraphBytes } from '../core/onnx/smoke-graph.ts';
import type { TensorData } from '../core/onnx/tensor-data.ts';
import { makeWeightInspector } from '../core/onnx/weight-inspector.ts';
import type { PluginDecl } from '../core/plugin/types.ts';
import type { LoadedPlugin } from '../core/registry/load-registry.ts';
import { unet } from '../plugins/audioldm/contracts.ts';
import { denoise, type DenoiseInput } from '../plugins/audioldm/denoise-loop.ts';
import { gaussianNoise } from '../plugins/mel-latent/noise.ts';
import { standInUnetBytes } from '../plugins/audioldm/stand-in-unet.ts';
import { latentShapeFor } from '../plugins/mel-latent/layout.ts';
import { bareLoopIO } from '../test/support/bare-loop-io.ts';

const ROOT = join(import.meta.dirname, '..');
const LOOP = new URL('../plugins/audioldm/denoise-loop.ts', import.meta.url);
const STEPS = Number(process.env.BENCH_STEPS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const SHAPE = latentShapeFor(5);

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
/** On a shared machine the fastest round is the one least disturbed by other processes. */
const best = (values: readonly number[]) => Math.min(...values);

function embeddings(): Record<string, TensorData> {
  const both = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i * 0.1) / 16);
  return {
    both: { type: 'float32', data: both, dims: [2, 512] },
    uncond: { type: 'float32', data: both.slice(0, 512), dims: [1, 512] },
    cond: { type: 'float32', data: both.slice(512), dims: [1, 512] },
  };
}

const input = (batched: boolean): DenoiseInput => ({ steps: STEPS, guidance: 2.5, noise: gaussianNoise(1, SHAPE.dims.reduce((a, b) => a * b, 1)), dims: SHAPE.dims, batched });

function hubFor(unetBytes: Uint8Array) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-audioldm-'));
  const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir, logLevel: 'silent', onnx: { workers: 1, intraOpNumThreads: THREADS } } });
  const weights = makeWeightInspector({ config });
  const manager = makeSessionManager({ config, logger: makeLogger({ level: 'error' }), weights });
  const decl = { name: 'bench-audioldm', title: 'bench', task: 'tta', summary: 'bench', license: 'MIT', sampleRate: 16000, graphs: { unet }, routes: [] } as PluginDecl;
  const plugin: LoadedPlugin = { decl, entry: { name: decl.name, source: ROOT, enabled: true }, dir: undefined };
  const file = join(weights.dir(plugin), 'unet.onnx');
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, unetBytes);
  return {
    /** Milliseconds per step of one whole loop, from this thread (open, put and close excluded). */
    async perStep(batched: boolean): Promise<number> {
      const session = await manager.open(plugin, ['unet']);
      await session.put(embeddings());
      const started = performance.now();
      await session.loop<Float32Array>(LOOP, input(batched));
      const ms = (performance.now() - started) / STEPS;
      await session.close();
      return ms;
    },
    close: async () => (await manager.dispose(), rmSync(dataDir, { recursive: true, force: true })),
  };
}

/** The bare loop in a plain worker thread (the hub's sessions run in worker threads too). */
function startBareWorker(unetBytes: Uint8Array) {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((a) => a.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(boot, { eval: true, workerData: { kind: 'bare-audioldm', threads: THREADS, unetBytes } });
  return {
    perStep: (batched: boolean) =>
      new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage(batched);
      }),
    stop: () => worker.terminate(),
  };
}

async function bareWorkerMain(threads: number, unetBytes: Uint8Array) {
  const session = await ort.InferenceSession.create(unetBytes, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  parentPort!.on('message', async (batched: boolean) => {
    const io = bareLoopIO({ unet: session }, embeddings());
    const started = performance.now();
    await denoise(io, input(batched));
    parentPort!.postMessage((performance.now() - started) / STEPS);
  });
}

async function overhead(name: string, bytes: Uint8Array) {
  const hub = hubFor(bytes);
  const bare = startBareWorker(bytes);
  await hub.perStep(true); // warm: load, JIT
  await bare.perStep(true);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    theirs.push(await bare.perStep(true));
    ours.push(await hub.perStep(true));
  }
  const twoRuns: number[] = [];
  const batched: number[] = [];
  await hub.perStep(false);
  for (let round = 0; round < ROUNDS; round++) {
    twoRuns.push(await hub.perStep(false));
    batched.push(await hub.perStep(true));
  }
  await bare.stop();
  await hub.close();
  const fmt = (v: number[]) => v.map((x) => x.toFixed(3)).join('/');
  console.log(
    `${name}: per step (${STEPS} steps, latent [1, 8, ${SHAPE.dims[2]}, 16], CFG batched, ${THREADS} intra-op thread): hub loop ${median(ours).toFixed(3)} ms ` +
      `vs bare onnxruntime loop ${median(theirs).toFixed(3)} ms → ${(median(ours) / median(theirs)).toFixed(3)}× median, ${(best(ours) / best(theirs)).toFixed(3)}× best round ` +
      `(target ≤ 1.05×; rounds ${fmt(ours)} vs ${fmt(theirs)}); ` +
      `guidance through the hub: two runs ${median(twoRuns).toFixed(3)} ms vs one batch of 2 ${median(batched).toFixed(3)} ms → two/batched ${(median(twoRuns) / median(batched)).toFixed(2)}× median, ` +
      `${(best(twoRuns) / best(batched)).toFixed(2)}× best round`,
  );
}

async function main() {
  console.log(`audioldm bench: node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
  await overhead('1+2. smoke UNet', smokeGraphBytes(unet, { plugin: 'audioldm', graph: 'unet' }));
  await overhead('   stand-in UNet', standInUnetBytes());
  const exported = process.env.BENCH_AUDIOLDM_UNET;
  if (exported) await overhead(`   ${exported}`, readFileSync(exported));
}

const data = workerData as { kind?: string; threads: number; unetBytes: Uint8Array } | undefined;
if (!isMainThread && data?.kind === 'bare-audioldm') void bareWorkerMain(data.threads, data.unetBytes);
else if (isMainThread) await main();
