// Loads ONNX bytes into a real onnxruntime session on this thread, for unit tests of the
// generator and the checks (the hub itself runs sessions in worker threads).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import type { TensorData } from '../../../core/onnx/graph-handle.ts';

export async function sessionFor(bytes: Uint8Array): Promise<ort.InferenceSession> {
  const dir = mkdtempSync(join(tmpdir(), 'onnx-unit-'));
  try {
    writeFileSync(join(dir, 'model.onnx'), bytes);
    return await ort.InferenceSession.create(join(dir, 'model.onnx'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runSession(session: ort.InferenceSession, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const tensors = Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type as ort.Tensor.Type, t.data as never, t.dims as number[])]));
  const result = await session.run(tensors);
  return Object.fromEntries(Object.entries(result).map(([k, t]) => [k, { type: t.type as TensorData['type'], data: t.data as TensorData['data'], dims: [...t.dims] }]));
}
