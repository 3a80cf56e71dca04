// A graph handle over a test's own onnxruntime session (no hub, no worker): for tests that call
// a pipeline step directly on a smoke graph or a graph whose outputs they know. It counts runs.
import ort from 'onnxruntime-node';
import type { GraphHandle, TensorData } from '../../core/onnx/graph-handle.ts';
import { smokeGraphBytes } from '../../core/onnx/smoke-graph.ts';
import { ELEMENT_INFO } from '../../core/onnx/tensor-types.ts';
import type { GraphContract } from '../../core/plugin/types.ts';

export interface CountingHandle extends GraphHandle {
  readonly runs: number;
}

export async function sessionHandle(name: string, contract: GraphContract, bytes: Uint8Array = smokeGraphBytes(contract, { plugin: 'test', graph: name })): Promise<CountingHandle> {
  const session = await ort.InferenceSession.create(bytes);
  let runs = 0;
  return {
    name,
    contract,
    get runs() {
      return runs;
    },
    async run(feeds) {
      runs++;
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(ELEMENT_INFO[t.type].ort as 'float32', t.data as Float32Array, [...t.dims])]));
      const outputs = await session.run(inputs);
      return Object.fromEntries(contract.outputs.map((o) => [o.name, { type: o.type, data: outputs[o.name]!.data as TensorData['data'], dims: [...outputs[o.name]!.dims] }]));
    },
  };
}
