// VoxCPM's patch loop (LM step → FSQ → residual LM → LocDiT × N with CFG → LocEnc → stop
// head), measured on the same hand-built graphs two ways in one run:
//   node --import tsx bench/voxcpm.ts        (or `npm run bench -- voxcpm`)
// - the hub: plugins/voxcpm/generate-loop.ts run by GraphSession.loop inside the ONNX worker
//   (caches and hidden states resident, progress ticks crossing);
// - bare: the same generatePatches over plain onnxruntime sessions in a worker thread of this
//   process, no hub in between.
// Per-patch time is the wall time of a whole generation from the caller's thread divided by the
// patches made (it includes starting the loop and bringing the patches back). Target ≤ 1.10×.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { generatePatches, type PatchLoopInput, type PatchLoopResult } from '../plugins/voxcpm/patch-loop.ts';
import { alternate, bareRunner, startBareWorker, toySessions } from './support/bare-runner.ts';
import { toyGraphFiles, toyPlugin, toyWeights, type ToySizes } from '../plugins/voxcpm/test/toy-graphs.ts';

const LOOP = new URL('../plugins/voxcpm/generate-loop.ts', import.meta.url);
/** Widths of a small but not trivial model: the graphs do some work, the loop's overhead still shows. */
const SIZES: ToySizes = { hidden: 256, latentDim: 64, patchSize: 2, fsqDim: 64, vocab: 1024 };
const PATCHES = 64;
const ROUNDS = 15;
const THREADS = Number(process.env.BENCH_THREADS ?? 1);
const GRAPHS = ['base_lm', 'text_embed', 'loc_enc', 'fsq', 'residual_lm', 'dit_condition', 'loc_dit', 'stop_head'];

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function input(): PatchLoopInput {
  const { patchSize: P, latentDim: D, hidden: h } = SIZES;
  return {
    shape: { patchSize: P, latentDim: D, hidden: h, muDim: h, layers: 1, residualLayers: 1, kvHeads: 1, headDim: h },
    textIds: Array.from({ length: 24 }, (_, i) => (i * 37) % SIZES.vocab),
    promptPatches: Float32Array.from({ length: 8 * P * D }, (_, i) => Math.sin(i * 0.1)),
    steps: 10,
    cfg: 2,
    seed: 5,
    minPatches: 2,
    maxPatches: PATCHES,
  };
}

async function bareWorkerMain() {
  // The hub's session options, so only what surrounds the graphs differs.
  const runner = await bareRunner(toyGraphFiles(toyWeights('never', SIZES)), GRAPHS, { threads: THREADS, graphOptimizationLevel: (workerData as { optimization: string }).optimization });
  parentPort!.on('message', async () => {
    const started = performance.now();
    const result = await generatePatches(runner, input());
    parentPort!.postMessage((performance.now() - started) / result.count);
  });
}

async function main() {
  const { manager, plugin, close } = toySessions(toyPlugin('bench-voxcpm', SIZES), toyGraphFiles(toyWeights('never', SIZES)), THREADS);

  const hubRound = async () => {
    const session = await manager.open(plugin, GRAPHS);
    const started = performance.now();
    const result = await session.loop<PatchLoopResult>(LOOP, input());
    const perPatch = (performance.now() - started) / result.count;
    await session.close();
    return perPatch;
  };
  const bare = startBareWorker(import.meta.url, 'bare-voxcpm', manager.shape.session.graphOptimizationLevel);
  const { ours, theirs } = await alternate(ROUNDS, hubRound, bare);
  await bare.stop();
  await close();
  const ratio = median(ours) / median(theirs);
  // On a shared machine the least disturbed round says most about the code: report it too.
  const best = Math.min(...ours) / Math.min(...theirs);
  console.log(
    `VoxCPM patch loop (toy graphs h=${SIZES.hidden}, latent ${SIZES.latentDim}, patch ${SIZES.patchSize}, 10 Euler steps with CFG, ${PATCHES} patches, ${THREADS} intra-op thread(s)): ` +
      `per-patch p50 hub loop ${median(ours).toFixed(3)} ms vs bare onnxruntime loop ${median(theirs).toFixed(3)} ms → ${ratio.toFixed(3)}× (target ≤ 1.10×); ` +
      `best rounds ${Math.min(...ours).toFixed(3)} vs ${Math.min(...theirs).toFixed(3)} ms → ${best.toFixed(3)}×; ${ROUNDS} rounds alternating`,
  );
}

if (!isMainThread && (workerData as { kind?: string } | undefined)?.kind === 'bare-voxcpm') await bareWorkerMain();
else if (isMainThread) await main();
