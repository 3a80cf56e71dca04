// A generation loop's graphs as plain onnxruntime sessions behind core's GraphRunner: the "bare"
// side of the loop benches (the same loop function, no hub in between), with the hub's session
// options so only what surrounds the graphs differs.
import ort from 'onnxruntime-node';
import type { GraphRunner } from '../../core/generation/graph-runner.ts';

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
