// The SVC decoders' sampling loops, measured side by side in one run:
//   node --import tsx bench/svc.ts        (or `npm run bench -- svc`)
//
// Per-step time of the loop module (plugins/amphion-svc/loops/decoder-loop.ts) over a denoiser
// graph of the plugin's contract, run through the hub (a GraphSession in the ONNX worker, the
// condition resident) vs the same loop module over a bare onnxruntime session in a plain
// worker thread (test/support/bare-loop-io.ts): MultipleContentsSVC's PNDM diffusion (50 steps,
// 51 denoiser calls) and DiffComoSVC's consistency sampler (8 steps, its maximum), 5 s of audio (469 mel
// frames). On smoke graphs what is compared is what the hub adds per step; BENCH_SVC_DENOISER
// may name an exported denoiser.onnx (export_svc.py --variant multiplecontentssvc) to time real
// work (BENCH_FRAMES, BENCH_STEPS, BENCH_ROUNDS keep such a run short). Target ≤ 1.05×.
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
import type { GraphContract, PluginDecl } from '../core/plugin/types.ts';
import type { LoadedPlugin } from '../core/registry/load-registry.ts';
import { graphsFor } from '../plugins/amphion-svc/graphs.ts';
import { decode, type DecoderLoopInput } from '../plugins/amphion-svc/loops/decoder-loop.ts';
import { COMO_EDM, DIFFUSION_SCHEDULE } from '../plugins/amphion-svc/pipeline/decoders.ts';
import { VARIANTS } from '../plugins/amphion-svc/variants.ts';
import { bareLoopIO } from '../test/support/bare-loop-io.ts';

const ROOT = join(import.meta.dirname, '..');
const LOOP = new URL('../plugins/amphion-svc/loops/decoder-loop.ts', import.meta.url);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 469);
const STEPS = Number(process.env.BENCH_STEPS ?? 50);

interface Case {
  readonly name: string;
  readonly contract: GraphContract;
  readonly conditionDim: number;
  readonly input: DecoderLoopInput;
  /** denoiser calls per loop */
  readonly calls: number;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const best = (values: readonly number[]) => Math.min(...values);

function condition(dim: number): Record<string, TensorData> {
  return { condition: { type: 'float32', data: Float32Array.from({ length: FRAMES * dim }, (_, i) => Math.sin(i * 0.01) / 2), dims: [1, FRAMES, dim] } };
}

function cases(): Case[] {
  const diffusion = graphsFor(VARIANTS.multiplecontentssvc).denoiser!;
  const como = graphsFor(VARIANTS.diffcomosvc).denoiser!;
  const dims = [1, FRAMES, 100];
  return [
    { name: 'multiplecontentssvc PNDM', contract: diffusion, conditionDim: 384, calls: STEPS + 1, input: { kind: 'diffusion', steps: STEPS, seed: 1, dims, schedule: DIFFUSION_SCHEDULE } },
    { name: 'diffcomosvc consistency', contract: como, conditionDim: 100, calls: 8, input: { kind: 'consistency', steps: 8, seed: 1, dims, edm: COMO_EDM, mu: condition(100).condition!.data as Float32Array } },
  ];
}

function hubFor(c: Case, bytes: Uint8Array) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-svc-'));
  const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir, logLevel: 'silent', onnx: { workers: 1, intraOpNumThreads: THREADS } } });
  const weights = makeWeightInspector({ config });
  const manager = makeSessionManager({ config, logger: makeLogger({ level: 'error' }), weights });
  const decl = { name: 'bench-svc', title: 'bench', task: 'svc', summary: 'bench', license: 'MIT', sampleRate: 24000, graphs: { denoiser: c.contract }, routes: [] } as PluginDecl;
  const plugin: LoadedPlugin = { decl, entry: { name: decl.name, source: ROOT, enabled: true }, dir: undefined };
  const file = join(weights.dir(plugin), c.contract.file);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, bytes);
  return {
    async perCall(): Promise<number> {
      const session = await manager.open(plugin, ['denoiser']);
      await session.put(condition(c.conditionDim));
      const started = performance.now();
      await session.loop<Float32Array>(LOOP, c.input);
      const ms = (performance.now() - started) / c.calls;
      await session.close();
      return ms;
    },
    close: async () => (await manager.dispose(), rmSync(dataDir, { recursive: true, force: true })),
  };
}

function startBareWorker(c: Case, bytes: Uint8Array) {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((a) => a.tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
  const worker = new Worker(boot, { eval: true, workerData: { kind: 'bare-svc', threads: THREADS, bytes, input: c.input, conditionDim: c.conditionDim, calls: c.calls } });
  return {
    perCall: () =>
      new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.postMessage('go');
      }),
    stop: () => worker.terminate(),
  };
}

async function bareWorkerMain(data: { threads: number; bytes: Uint8Array; input: DecoderLoopInput; conditionDim: number; calls: number }) {
  const session = await ort.InferenceSession.create(data.bytes, { intraOpNumThreads: data.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  parentPort!.on('message', async () => {
    const io = bareLoopIO({ denoiser: session }, condition(data.conditionDim));
    const started = performance.now();
    await decode(io, data.input);
    parentPort!.postMessage((performance.now() - started) / data.calls);
  });
}

async function overhead(c: Case, label: string, bytes: Uint8Array) {
  const hub = hubFor(c, bytes);
  const bare = startBareWorker(c, bytes);
  await hub.perCall();
  await bare.perCall();
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    theirs.push(await bare.perCall());
    ours.push(await hub.perCall());
  }
  await bare.stop();
  await hub.close();
  const fmt = (v: number[]) => v.map((x) => x.toFixed(3)).join('/');
  console.log(
    `${c.name} (${label}, ${c.calls} denoiser calls, mel [1, ${FRAMES}, 100], ${THREADS} intra-op thread): per step hub loop ${median(ours).toFixed(3)} ms ` +
      `vs bare onnxruntime loop ${median(theirs).toFixed(3)} ms → ${(median(ours) / median(theirs)).toFixed(3)}× median, ${(best(ours) / best(theirs)).toFixed(3)}× best round ` +
      `(target ≤ 1.05×; rounds ${fmt(ours)} vs ${fmt(theirs)})`,
  );
}

async function main() {
  console.log(`svc bench: node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}`);
  for (const c of cases()) await overhead(c, 'smoke denoiser', smokeGraphBytes(c.contract, { plugin: 'bench-svc', graph: 'denoiser' }));
  const exported = process.env.BENCH_SVC_DENOISER;
  if (exported) await overhead(cases()[0]!, exported, readFileSync(exported));
}

const data = workerData as { kind?: string; threads: number; bytes: Uint8Array; input: DecoderLoopInput; conditionDim: number; calls: number } | undefined;
if (!isMainThread && data?.kind === 'bare-svc') void bareWorkerMain(data);
else if (isMainThread) await main();
