// What running sessions in worker threads costs and buys:
//   node --import tsx bench/onnx-sessions.ts        (or `npm run bench -- onnx`)
//
// 1. Hop cost: median time of a tiny graph run (smoke vocoder decoder, 20 frames) through the
//    session manager (post to a worker, run, transfer back) minus the same run on a session
//    in this thread.
// 2. Event loop: the longest stall of a 5 ms timer on this thread while a ~1 s MatMul graph runs,
//    once on a session in this thread and once through the session manager (a worker).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { loadConfig } from '../core/config/load-config.ts';
import { makeLogger } from '../core/log/logger.ts';
import type { TensorData } from '../core/onnx/graph-handle.ts';
import { makeSessionManager } from '../core/onnx/session-manager.ts';
import { installSmokeWeights } from '../core/onnx/smoke-install.ts';
import { makeWeightInspector } from '../core/onnx/weight-inspector.ts';
import slowModel, { SIZE } from '../test/onnx/fixtures/slow-model/index.ts';
import smokeVocoder from '../test/onnx/fixtures/smoke-vocoder/index.ts';
import { slowGraphBytes } from '../test/onnx/support/slow-graph.ts';
import { writeFileSync, mkdirSync } from 'node:fs';

const RUNS = 200;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dataDir = mkdtempSync(join(tmpdir(), 'bench-onnx-'));
const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir, logLevel: 'silent', onnx: { workers: 1 } } });
const weights = makeWeightInspector({ config });
const manager = makeSessionManager({ config, logger: makeLogger({ level: 'silent' }), weights });
const plugin = (decl: typeof smokeVocoder | typeof slowModel) => ({ decl, entry: { name: decl.name, source: '.', enabled: true }, dir: undefined });

try {
  // 1. Hop cost.
  const vocoder = plugin(smokeVocoder);
  installSmokeWeights(weights.dir(vocoder), vocoder);
  const mel: Record<string, TensorData> = { mel: { type: 'float32', data: new Float32Array(80 * 20).fill(0.1), dims: [1, 80, 20] } };
  const decoder = manager.handlesFor(vocoder).decoder!;
  await decoder.run(mel);
  const viaWorker: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await decoder.run(mel);
    viaWorker.push(performance.now() - t);
  }
  const local = await ort.InferenceSession.create(join(weights.dir(vocoder), 'decoder.onnx'), { intraOpNumThreads: manager.shape.session.intraOpNumThreads });
  const feed = { mel: new ort.Tensor('float32', mel.mel!.data as Float32Array, [1, 80, 20]) };
  await local.run(feed);
  const inThread: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await local.run(feed);
    inThread.push(performance.now() - t);
  }
  console.log(`tiny graph, median of ${RUNS}: worker ${median(viaWorker).toFixed(3)} ms, this thread ${median(inThread).toFixed(3)} ms, hop cost ${(median(viaWorker) - median(inThread)).toFixed(3)} ms`);

  // 2. Event loop while a slow graph runs.
  const slow = plugin(slowModel);
  mkdirSync(weights.dir(slow), { recursive: true });
  writeFileSync(join(weights.dir(slow), 'work.onnx'), slowGraphBytes({ size: SIZE, repeats: 1000 }));
  const x: Record<string, TensorData> = { x: { type: 'float32', data: new Float32Array(SIZE * SIZE).fill(0.01), dims: [SIZE, SIZE] } };
  // The largest gap between ticks of a 5 ms timer: what a request arriving meanwhile would wait.
  const measure = async (label: string, work: () => Promise<unknown>) => {
    let last = performance.now();
    let maxGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 5);
    const t = performance.now();
    await work();
    const ms = performance.now() - t;
    await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(ticker);
    console.log(`${label}: run ${ms.toFixed(0)} ms, longest stall of a 5 ms timer ${maxGap.toFixed(1)} ms`);
  };
  const work = manager.handlesFor(slow).work!;
  await work.run(x);
  const slowLocal = await ort.InferenceSession.create(join(weights.dir(slow), 'work.onnx'), { intraOpNumThreads: manager.shape.session.intraOpNumThreads });
  const xs = { x: new ort.Tensor('float32', x.x!.data as Float32Array, [SIZE, SIZE]) };
  await measure('slow graph on this thread', () => slowLocal.run(xs));
  await measure('slow graph in a worker    ', () => work.run(x));
} finally {
  await manager.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}
