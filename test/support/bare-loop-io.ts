// A LoopIO over plain onnxruntime sessions on the calling thread: a plugin's loop module runs
// here as it would in the hub's worker, minus the hub (no worker, queue, contract checks or
// residents crossing threads). Tests use it to check a loop's arithmetic on a known graph;
// the bench uses it as the bare baseline the hub's loop is compared with.
import ort from 'onnxruntime-node';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import type { LoopIO, LoopTensor } from '../../core/onnx/worker-loop.ts';

export interface BareLoopIO extends LoopIO {
  /** Steps reported through io.progress, in order. */
  readonly ticks: number[];
  cancel(): void;
}

const toTensor = (t: LoopTensor | TensorData): LoopTensor => (t instanceof ort.Tensor ? t : new ort.Tensor(t.type, t.data as Float32Array, [...t.dims]));

export function bareLoopIO(sessions: Readonly<Record<string, ort.InferenceSession>>, residents: Readonly<Record<string, TensorData>>): BareLoopIO {
  let cancelled = false;
  const ticks: number[] = [];
  const io: BareLoopIO = {
    ticks,
    cancel: () => (cancelled = true),
    get cancelled() {
      return cancelled;
    },
    throwIfCancelled() {
      if (cancelled) throw new Error('cancelled');
    },
    async run(graph, feeds, fetches) {
      io.throwIfCancelled();
      const session = sessions[graph];
      if (!session) throw new Error(`no session '${graph}'`);
      const inputs = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toTensor(t)]));
      return fetches ? session.run(inputs, [...fetches]) : session.run(inputs);
    },
    resident(slot) {
      const t = residents[slot];
      if (!t) throw new Error(`no resident '${slot}'`);
      return toTensor(t);
    },
    tensor: (type, data, dims) => new ort.Tensor(type, data as Float32Array, [...dims]),
    emit: () => undefined,
    progress: (step) => void ticks.push(step),
  };
  return io;
}
