// Checks an exported MaskGCT folder against the contracts in graphs.ts with onnxruntime-node:
// each graph's declared tensors against the session's metadata, then one run per graph at
// lengths other than the export's example lengths, with every output's dims and id ranges
// checked. Usage: node --import tsx plugins/maskgct/export/check-export.ts <folder>
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { compareContract, formatDims } from '../../../core/onnx/contract-check.ts';
import { evaluateDim, parseDim } from '../../../core/onnx/dim-expr.ts';
import type { GraphContract, TensorContract } from '../../../core/plugin/types.ts';
import { graphs } from '../graphs.ts';

/** Axis sizes unlike the exporter's (7 phones, 11 prompt, 13 target frames). */
const AXES = new Map<string, number>([
  ['phones', 5],
  ['prompt', 9],
  ['target', 17],
  ['frames', 26],
  ['samples', 26 * 480],
]);

/** Valid values for inputs that are not free ids. */
const RANGES: Record<string, number> = { phone_ids: 1023, prompt_ids: 1024, target_ids: 1024, semantic_ids: 8192, acoustic_ids: 1024 };

function feedFor(graph: string, tensor: TensorContract): ort.Tensor {
  const dims = tensor.dims.map((d) => evaluateDim(parseDim(d), AXES)!);
  const size = dims.reduce((a, b) => a * b, 1);
  if (tensor.name === 'layer') return new ort.Tensor('int64', BigInt64Array.of(3n), dims);
  if (tensor.name === 't') return new ort.Tensor('float32', Float32Array.of(0.6), dims);
  if (tensor.name === 'attention_mask') return new ort.Tensor('int64', new BigInt64Array(size).fill(1n), dims);
  if (tensor.type === 'bool') return new ort.Tensor('bool', Uint8Array.from({ length: size }, (_, i) => (i % 3 === 0 ? 1 : 0)), dims);
  if (tensor.type === 'int64') {
    const high = graph === 't2s_step' && tensor.name !== 'phone_ids' ? 8192 : RANGES[tensor.name] ?? 1024;
    return new ort.Tensor('int64', BigInt64Array.from({ length: size }, (_, i) => BigInt((i * 7919) % high)), dims);
  }
  return new ort.Tensor('float32', Float32Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) * 0.3), dims);
}

async function check(folder: string, name: string, contract: GraphContract): Promise<string[]> {
  const session = await ort.InferenceSession.create(join(folder, contract.file));
  const problems = compareContract(
    contract,
    session.inputMetadata.map((m) => ({ ...m, shape: m.isTensor ? [...m.shape] : undefined })),
    session.outputMetadata.map((m) => ({ ...m, shape: m.isTensor ? [...m.shape] : undefined })),
  );
  if (problems.length) return problems;
  const outputs = await session.run(Object.fromEntries(contract.inputs.map((t) => [t.name, feedFor(name, t)])));
  for (const tensor of contract.outputs) {
    const out = outputs[tensor.name]!;
    const want = tensor.dims.map((d) => evaluateDim(parseDim(d), AXES));
    if (want.some((w, i) => w !== out.dims[i])) problems.push(`output '${tensor.name}': dims ${formatDims([...out.dims])}, the contract says ${formatDims(want.map(String))}`);
    if (tensor.vocab !== undefined) {
      const bad = [...(out.data as BigInt64Array)].find((v) => v < 0n || v >= BigInt(tensor.vocab!));
      if (bad !== undefined) problems.push(`output '${tensor.name}': id ${bad} outside 0..${tensor.vocab - 1}`);
    }
    if (tensor.type === 'float32' && [...(out.data as Float32Array)].some((v) => !Number.isFinite(v))) problems.push(`output '${tensor.name}': not finite`);
  }
  await session.release();
  return problems;
}

const folder = process.argv[2];
if (!folder) {
  console.error('usage: check-export.ts <folder with the exported .onnx files>');
  process.exit(2);
}
let failed = 0;
for (const [name, contract] of Object.entries(graphs)) {
  const problems = await check(folder, name, contract as GraphContract).catch((error: Error) => [error.message]);
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}${problems.map((p) => `\n     ${p}`).join('')}`);
  failed += problems.length ? 1 : 0;
}
process.exit(failed ? 1 : 0);
