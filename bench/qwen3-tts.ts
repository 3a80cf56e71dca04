// Qwen3-TTS, two measurements in one run:
//   node --import tsx bench/qwen3-tts.ts        (or `npm run bench -- qwen3-tts`)
// 1. Per-frame time of the nested loop (1 talker step + code predictor prefill + 14 steps + the
//    16 group embeddings), on the same hand-built graphs two ways:
//    - the hub: plugins/qwen3-tts/generate-loop.ts run by GraphSession.loop inside the ONNX worker
//      (both caches resident, each frame's codes crossing as it is made);
//    - bare: the same generateFrames over plain onnxruntime sessions in a worker thread of this
//      process, no hub in between.
//    Per-frame time is a whole generation's wall time from the caller's thread divided by its
//    frames (starting the loop and bringing the frames back included). Target ≤ 1.10×.
// 2. Time to the first streamed audio piece of the tts capability (smoke graphs, the real hub)
//    for a 20-word and a 200-word text: the first piece is decoded after 8 frames, and a stream
//    feeds the text one token per frame, so the two should be about equal.
import { join } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { TtsCapability } from '../core/capabilities.ts';
import type { PluginRuntime } from '../core/plugin/runtime.ts';
import { loadPlugins } from '../core/registry/load-registry.ts';
import { generateFrames, type FrameLoopInput, type FrameLoopResult } from '../plugins/qwen3-tts/frame-loop.ts';
import { LOOP_GRAPHS } from '../plugins/qwen3-tts/graphs.ts';
import { talkerPrompt } from '../plugins/qwen3-tts/prompt.ts';
import { QWEN3 } from '../plugins/qwen3-tts/variants.ts';
import { toyGraphFiles, toyPlugin, toyWeights } from '../plugins/qwen3-tts/test/toy-graphs.ts';
import { installSmokeGraphs } from '../test/support/smoke.ts';
import { startTestHub } from '../test/support/test-hub.ts';
import { alternate, bareRunner, startBareWorker, toySessions } from './support/bare-runner.ts';

const ROOT = join(import.meta.dirname, '..');
const LOOP = new URL('../plugins/qwen3-tts/generate-loop.ts', import.meta.url);
/** Widths of a small but not trivial model: the graphs do some work, the loop's overhead still shows. */
const HIDDEN = Number(process.env.BENCH_QWEN3_HIDDEN ?? 256);
const FRAMES = 24;
const ROUNDS = 9;
const THREADS = Number(process.env.BENCH_THREADS ?? 1);

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function input(): FrameLoopInput {
  const d = { layers: 1, kvHeads: 1, headDim: HIDDEN };
  const text = Array.from({ length: 30 }, (_, i) => 1000 + i * 37);
  return {
    shape: { hidden: HIDDEN, talker: d, predictor: d },
    prompt: talkerPrompt({ ids: { target: [151644, 77091, 198, ...text, 151645, 198, 151644, 77091, 198] }, languageId: QWEN3.languages.english, speakerId: 3061, textInPrefill: false }),
    talkerSampling: QWEN3.talkerSampling,
    predictorSampling: QWEN3.predictorSampling,
    seed: 5,
    maxFrames: FRAMES,
    minFrames: QWEN3.minNewTokens,
  };
}

async function bareWorkerMain() {
  const runner = await bareRunner(toyGraphFiles(toyWeights('never', HIDDEN)), LOOP_GRAPHS, { threads: THREADS, graphOptimizationLevel: (workerData as { optimization: string }).optimization });
  parentPort!.on('message', async () => {
    const started = performance.now();
    const result = await generateFrames(runner, input());
    parentPort!.postMessage((performance.now() - started) / result.frames);
  });
}

async function frameLoop() {
  const { manager, plugin, close } = toySessions(toyPlugin('bench-qwen3', HIDDEN), toyGraphFiles(toyWeights('never', HIDDEN)), THREADS);

  const hubRound = async () => {
    const session = await manager.open(plugin, [...LOOP_GRAPHS]);
    const started = performance.now();
    const result = await session.loop<FrameLoopResult, number[]>(LOOP, input(), { onEmit: () => {} });
    const perFrame = (performance.now() - started) / result.frames;
    await session.close();
    return perFrame;
  };
  const bare = startBareWorker(import.meta.url, 'bare-qwen3', manager.shape.session.graphOptimizationLevel);
  const { ours, theirs } = await alternate(ROUNDS, hubRound, bare);
  await bare.stop();
  await close();
  console.log(
    `Qwen3-TTS frame loop (toy graphs H=${HIDDEN}, 1 talker + 15 predictor calls + 16 embeddings per frame, ${FRAMES} frames, ${THREADS} intra-op thread(s)): ` +
      `per-frame p50 hub loop ${median(ours).toFixed(3)} ms vs bare onnxruntime loop ${median(theirs).toFixed(3)} ms → ${(median(ours) / median(theirs)).toFixed(3)}× (target ≤ 1.10×); ` +
      `best rounds ${Math.min(...ours).toFixed(3)} vs ${Math.min(...theirs).toFixed(3)} ms → ${(Math.min(...ours) / Math.min(...theirs)).toFixed(3)}×; ${ROUNDS} rounds alternating`,
  );
}

async function firstPiece() {
  const registry = join(ROOT, 'plugins', 'qwen3-tts', 'test', 'fixtures', 'registry-qwen3.json');
  const hub = await startTestHub({ registry, logLevel: 'silent' });
  try {
    await installSmokeGraphs(hub.dataDir, await loadPlugins(registry, ROOT));
    const provider = hub.container.resolve<PluginRuntime>('runtime').list<TtsCapability>('tts').find((p) => p.plugin === 'qwen3-tts')!;
    await provider.ready();
    const words = (n: number) => Array.from({ length: n }, (_, i) => ['the', 'quick', 'brown', 'fox', 'jumps'][i % 5]).join(' ') + '.';
    let request = 0;
    const ttfb = async (text: string) => {
      const started = performance.now();
      const pieces = provider.capability.stream!({ text, voice: 'ryan', seed: 3 }, provider.context({ signal: new AbortController().signal, requestId: `bench-${++request}` }));
      let first = 0;
      for await (const _ of pieces) if (!first) first = performance.now() - started;
      return first;
    };
    await ttfb(words(20)); // warm
    const times: Record<number, number[]> = { 20: [], 200: [] };
    for (let round = 0; round < 5; round++) for (const n of round % 2 ? [200, 20] : [20, 200]) times[n]!.push(await ttfb(words(n)));
    console.log(
      `Qwen3-TTS time to the first streamed piece (smoke graphs of the 0.6B contracts, ${QWEN3.firstChunkFrames} frames, tts capability in the hub): ` +
        `20 words p50 ${median(times[20]!).toFixed(0)} ms, 200 words p50 ${median(times[200]!).toFixed(0)} ms (5 rounds each, alternating)`,
    );
  } finally {
    await hub.stop();
  }
}

if (!isMainThread && (workerData as { kind?: string } | undefined)?.kind === 'bare-qwen3') await bareWorkerMain();
else if (isMainThread) {
  await frameLoop();
  await firstPiece();
}
