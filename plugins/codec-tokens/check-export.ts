// Checks an exported codec folder the way the hub will use it, for the export scripts:
//   node --import tsx plugins/codec-tokens/check-export.ts <plugin folder> <onnx folder> [cases.json]
// 1. every declared graph whose file is in the folder against the plugin's contract (the
//    check the hub runs at load), 2. for each graph the cases file covers: its feeds and
//    outputs against the contract (as before and after every run), ids inside the declared
//    codebooks, and the outputs against PyTorch's on the same inputs (written by
//    export_common.py `write_cases`, at lengths the export was not traced at).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ort from 'onnxruntime-node';
import { compareContract } from '../../core/onnx/contract-check.ts';
import { checkFeeds, checkOutputs } from '../../core/onnx/feed-check.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import type { GraphContract, PluginDecl } from '../../core/plugin/types.ts';

/** Largest |onnx − torch| accepted for float outputs. */
const TOLERANCE = 1e-4;
/** Share of ids allowed to differ: near-ties of random codebooks may break either way. */
const ID_MISMATCH = 0.01;

interface JsonTensor {
  readonly type: 'float32' | 'int64' | 'bool';
  readonly dims: number[];
  readonly data: number[];
}
type Cases = Record<string, { feeds: Record<string, JsonTensor>; expected: Record<string, JsonTensor> }>;

function tensorData(t: JsonTensor): TensorData {
  if (t.type === 'int64') return { type: 'int64', data: BigInt64Array.from(t.data, (v) => BigInt(v)), dims: t.dims };
  if (t.type === 'bool') return { type: 'bool', data: Uint8Array.from(t.data), dims: t.dims };
  return { type: 'float32', data: Float32Array.from(t.data), dims: t.dims };
}

function compare(name: string, got: TensorData, want: JsonTensor): string[] {
  if (got.data.length !== want.data.length) return [`output '${name}': ${got.data.length} values, PyTorch gave ${want.data.length}`];
  if (want.type === 'int64') {
    const ids = got.data as BigInt64Array;
    const differ = want.data.filter((v, i) => BigInt(v) !== ids[i]).length;
    console.log(`     ${name}: ${differ} of ${want.data.length} ids differ from PyTorch`);
    return differ > ID_MISMATCH * want.data.length ? [`output '${name}': ${differ} of ${want.data.length} ids differ from PyTorch`] : [];
  }
  let worst = 0;
  want.data.forEach((v, i) => (worst = Math.max(worst, Math.abs((got.data as Float32Array)[i]! - v))));
  console.log(`     ${name}: max |onnx - torch| = ${worst.toExponential(2)}`);
  return worst > TOLERANCE ? [`output '${name}': differs from PyTorch by ${worst.toExponential(2)} (> ${TOLERANCE})`] : [];
}

async function check(path: string, contract: GraphContract, cases: Cases[string] | undefined): Promise<string[]> {
  const session = await ort.InferenceSession.create(path);
  const shapeOf = (m: ort.InferenceSession.ValueMetadata) => ({ ...m, shape: m.isTensor ? [...m.shape] : undefined });
  const problems = compareContract(contract, session.inputMetadata.map(shapeOf), session.outputMetadata.map(shapeOf));
  if (problems.length || !cases) return problems;
  const feeds = Object.fromEntries(Object.entries(cases.feeds).map(([k, v]) => [k, tensorData(v)]));
  const fed = checkFeeds(contract, feeds);
  if (fed.problems.length) return fed.problems;
  const result = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, t]) => [k, new ort.Tensor(t.type, t.data, [...t.dims])])));
  const outputs: Record<string, TensorData> = {};
  for (const tensor of contract.outputs) {
    const out = result[tensor.name]!;
    outputs[tensor.name] = { type: tensor.type, data: out.data as TensorData['data'], dims: out.dims };
  }
  problems.push(...checkOutputs(contract, outputs, fed.axes));
  for (const tensor of contract.outputs) {
    if (tensor.vocab !== undefined) {
      const bad = [...(outputs[tensor.name]!.data as BigInt64Array)].find((v) => v < 0n || v >= BigInt(tensor.vocab!));
      if (bad !== undefined) problems.push(`output '${tensor.name}': id ${bad} outside 0..${tensor.vocab - 1}`);
    }
    const want = cases.expected[tensor.name];
    if (want) problems.push(...compare(tensor.name, outputs[tensor.name]!, want));
  }
  await session.release();
  return problems;
}

const [pluginDir, folder, casesPath] = process.argv.slice(2);
if (!pluginDir || !folder) {
  console.error('usage: check-export.ts <plugin folder> <onnx folder> [cases.json]');
  process.exit(2);
}
const plugin = ((await import(pathToFileURL(resolve(pluginDir, 'index.ts')).href)) as { default: PluginDecl }).default;
const cases: Cases = casesPath ? (JSON.parse(readFileSync(casesPath, 'utf8')) as Cases) : {};
let failed = 0;
for (const [name, contract] of Object.entries(plugin.graphs ?? {})) {
  const path = join(folder, contract.file);
  if (!existsSync(path)) {
    console.log(`skip ${plugin.name}.${name}: ${contract.file} is not in ${folder}`);
    continue;
  }
  console.log(`${plugin.name}.${name}: ${path}`);
  const problems = await check(path, contract, cases[name]).catch((error: Error) => [error.message]);
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${plugin.name}.${name}${cases[name] ? ' (contract, run, PyTorch outputs)' : ' (contract)'}${problems.map((p) => `\n     ${p}`).join('')}`);
  failed += problems.length ? 1 : 0;
}
process.exit(failed ? 1 : 0);
