// Checks an exported vocoder graph the way the hub will use it, for the export scripts:
//   node --import tsx plugins/mel-vocoder/check-export.ts <plugin folder> <generator.onnx> <mel.npy> <expected-audio.npy>
// 1. the ONNX file's inputs/outputs against the plugin's declared contract (the same check
//    the hub runs when the graph loads), 2. the feeds and the outputs of one run against it,
// 3. the output against PyTorch's on the same mel (a length the export was not traced at).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ort from 'onnxruntime-node';
import { compareContract, type TensorMetadata } from '../../core/onnx/contract-check.ts';
import { checkFeeds, checkOutputs } from '../../core/onnx/feed-check.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import type { PluginDecl } from '../../core/plugin/types.ts';
import { readNpyFloat32 } from './npy.ts';

const TOLERANCE = 1e-4;

async function main(): Promise<number> {
  const [pluginDir, onnxPath, melPath, audioPath] = process.argv.slice(2);
  if (!pluginDir || !onnxPath || !melPath || !audioPath) {
    console.error('usage: check-export.ts <plugin folder> <generator.onnx> <mel.npy> <expected-audio.npy>');
    return 2;
  }
  const plugin = ((await import(pathToFileURL(resolve(pluginDir, 'index.ts')).href)) as { default: PluginDecl }).default;
  const pluginName = plugin.name;
  const contract = plugin.graphs?.generator;
  if (!contract) throw new Error(`plugin '${pluginName}' declares no generator graph`);

  const session = await ort.InferenceSession.create(onnxPath);
  const problems = compareContract(
    contract,
    session.inputMetadata as unknown as TensorMetadata[],
    session.outputMetadata as unknown as TensorMetadata[],
  );
  if (problems.length) {
    console.error(`contract mismatch for ${pluginName}.generator:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log(`contract: ${onnxPath} matches ${pluginName}.generator`);

  const mel = readNpyFloat32(readFileSync(melPath), 'mel');
  const expected = readNpyFloat32(readFileSync(audioPath), 'audio');
  const feeds: Record<string, TensorData> = { mel: { type: 'float32', data: mel.data, dims: mel.shape } };
  const fed = checkFeeds(contract, feeds);
  if (fed.problems.length) throw new Error(`feeds: ${fed.problems.join('; ')}`);
  const result = await session.run({ mel: new ort.Tensor('float32', mel.data, [...mel.shape]) });
  const audio = result.audio!;
  const outputs: Record<string, TensorData> = { audio: { type: 'float32', data: audio.data as Float32Array, dims: audio.dims } };
  const produced = checkOutputs(contract, outputs, fed.axes);
  if (produced.length) {
    console.error(`outputs break the contract: ${produced.join('; ')}`);
    return 1;
  }
  let worst = 0;
  const got = audio.data as Float32Array;
  if (got.length !== expected.data.length) throw new Error(`ONNX gave ${got.length} samples, PyTorch ${expected.data.length}`);
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected.data[i]!));
  console.log(`run: mel [${mel.shape.join(', ')}] -> audio [${audio.dims.join(', ')}], max |onnx - torch| = ${worst.toExponential(2)}`);
  if (worst > TOLERANCE) {
    console.error(`output differs from PyTorch by more than ${TOLERANCE}`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
