// Stand-ins for real weights in tests: a contract's smoke graph without the smoke mark in its
// metadata, so the hub treats the file as it would a real checkpoint ('installed').
import { encodeModel } from '../../core/onnx/onnx-proto.ts';
import { smokeGraphSpec, type SmokeGraphOptions } from '../../core/onnx/smoke-graph.ts';
import { SMOKE_METADATA_KEY } from '../../core/onnx/smoke-metadata.ts';
import type { GraphContract } from '../../core/plugin/types.ts';

export function standInGraphBytes(contract: GraphContract, options: SmokeGraphOptions): Uint8Array {
  const spec = smokeGraphSpec(contract, options);
  const { [SMOKE_METADATA_KEY]: _mark, ...rest } = spec.metadata ?? {};
  return encodeModel({ ...spec, metadata: { ...rest, 'hub.stand-in': 'weights for tests' } });
}
