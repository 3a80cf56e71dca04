// What a generation loop needs to call graphs, whoever runs them: a loop module's io inside the
// ONNX worker (caches stay there) or plain onnxruntime sessions (a bench's bare loop). A loop
// written against this runs unchanged in both, so the two can be timed against each other.
import type { TensorData } from '../onnx/tensor-data.ts';

/** What a loop needs of a tensor: its values and dims (onnxruntime's Tensor has both). */
export interface RunnerTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}

export interface GraphRunner<T extends RunnerTensor = RunnerTensor> {
  run(graph: string, feeds: Readonly<Record<string, T>>, fetches?: readonly string[]): Promise<Record<string, T>>;
  tensor(type: TensorData['type'], data: TensorData['data'], dims: readonly number[]): T;
  readonly cancelled?: boolean;
}
