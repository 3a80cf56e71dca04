// A generation loop's graphs as plain onnxruntime sessions behind core's GraphRunner: the "bare"
// side of the loop benches (the same loop function, no hub in between), with the hub's session
// options so only what surrounds the graphs differs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { loadConfig } from '../../core/config/load-config.ts';
import type { GraphRunner } from '../../core/generation/graph-runner.ts';
import { makeLogger } from '../../core/log/logger.ts';
import { makeSessionManager } from '../../core/onnx/session-manager.ts';
import { makeWeightInspector } from '../../core/onnx/weight-inspector.ts';
import type { PluginDecl } from '../../core/plugin/types.ts';
import type { LoadedPlugin } from '../../core/registry/load-registry.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export async function bareRunner(files: Readonly<Record<string, Uint8Array>>, graphs: readonly string[], options: { threads: number; graphOptimizationLevel: string }): Promise<GraphRunner<ort.Tensor>> {
  const sessions = new Map<string, ort.InferenceSession>();
  for (const name of graphs) {
    sessions.set(name, await ort.InferenceSession.create(files[`${name}.onnx`]!, { intraOpNumThreads: options.threads, interOpNumThreads: 1, graphOptimizationLevel: options.graphOptimizationLevel as ort.InferenceSession.SessionOptions['graphOptimizationLevel'], logSeverityLevel: 2, executionProviders: ['cpu'] }));
  }
  return {
    run: (graph, feeds, fetches) => {
      const session = sessions.get(graph)!;
      return session.run(feeds as Record<string, ort.Tensor>, fetches ? [...fetches] : session.outputNames) as Promise<Record<string, ort.Tensor>>;
    },
    tensor: (type, data, dims) => new ort.Tensor(type as ort.Tensor.Type, data as never, dims as number[]),
  };
}

/** This bench file started again in a worker thread, as its bare side: `workerData` is { kind, optimization }. */
export function startBareWorker(benchUrl: string, kind: string, optimization: string) {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((a) => a.tsImport(${JSON.stringify(benchUrl)}, ${JSON.stringify(benchUrl)}))`;
  const worker = new Worker(boot, { eval: true, workerData: { kind, optimization } });
  return {
    round: () =>
      new Promise<number>((resolve, reject) => {
        // One round's listeners go with it: rounds must not pile up 'error' listeners.
        const done = (value: number) => (worker.off('error', failed), resolve(value));
        const failed = (error: Error) => (worker.off('message', done), reject(error));
        worker.once('message', done);
        worker.once('error', failed);
        worker.postMessage('go');
      }),
    stop: () => worker.terminate(),
  };
}

/** The hub's session manager over a toy plugin whose graph files sit in a fresh data folder. */
export function toySessions(decl: PluginDecl, files: Readonly<Record<string, Uint8Array>>, threads: number) {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${decl.name}-`));
  const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir, logLevel: 'silent', onnx: { workers: 1, intraOpNumThreads: threads } } });
  const weights = makeWeightInspector({ config });
  const manager = makeSessionManager({ config, logger: makeLogger({ level: 'error' }), weights });
  const plugin: LoadedPlugin = { decl, entry: { name: decl.name, source: ROOT, enabled: true }, dir: undefined };
  mkdirSync(weights.dir(plugin), { recursive: true });
  for (const [file, bytes] of Object.entries(files)) writeFileSync(join(weights.dir(plugin), file), bytes);
  return {
    manager,
    plugin,
    async close() {
      await manager.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Rounds of the hub and of the bare side, alternating which goes first so a slow spell of the machine favours neither. */
export async function alternate(rounds: number, hub: () => Promise<number>, bare: { round: () => Promise<number> }): Promise<{ ours: number[]; theirs: number[] }> {
  await hub(); // warm: loads, JIT
  await bare.round();
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) (theirs.push(await bare.round()), ours.push(await hub()));
    else (ours.push(await hub()), theirs.push(await bare.round()));
  }
  return { ours, theirs };
}
