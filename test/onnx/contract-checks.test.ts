import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareContract } from '../../core/onnx/contract-check.ts';
import { evaluateDim, parseDim } from '../../core/onnx/dim-expr.ts';
import { checkFeeds, checkOutputs } from '../../core/onnx/feed-check.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import type { GraphContract } from '../../core/plugin/types.ts';

const contract: GraphContract = {
  file: 'g.onnx',
  inputs: [
    { name: 'mel', type: 'float32', dims: ['batch', 80, 'frames'] },
    { name: 'speaker', type: 'int64', dims: ['batch'] },
  ],
  outputs: [{ name: 'audio', type: 'float32', dims: ['batch', 'frames*256'] }],
};

const f32 = (dims: number[]): TensorData => ({ type: 'float32', data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims });
const i64 = (dims: number[]): TensorData => ({ type: 'int64', data: new BigInt64Array(dims.reduce((a, b) => a * b, 1)), dims });

describe('dim expressions', () => {
  it('bind * and / tighter than + and -, and divide rounding down', () => {
    const axes = new Map([['frames', 10], ['n', 7]]);
    assert.equal(evaluateDim(parseDim('frames*256'), axes), 2560);
    assert.equal(evaluateDim(parseDim('frames+n*2'), axes), 24);
    assert.equal(evaluateDim(parseDim('n/2-1'), axes), 2);
    assert.equal(evaluateDim(parseDim('frames-n+1'), axes), 4);
  });

  it('leave a dim unknown while an axis it needs is unbound', () => {
    assert.equal(evaluateDim(parseDim('tokens+1'), new Map()), undefined);
  });
});

describe('the contract check against session metadata', () => {
  const meta = (name: string, type: string, shape: (number | string)[]) => ({ name, isTensor: true, type, shape });
  const good = { inputs: [meta('mel', 'float32', ['b', 80, 'f']), meta('speaker', 'int64', ['b'])], outputs: [meta('audio', 'float32', ['b', 'Mul_dim'])] };

  it('accepts a model whose symbolic axes carry other names', () => {
    assert.deepEqual(compareContract(contract, good.inputs, good.outputs), []);
  });

  it('names the tensor, the expected and the found type', () => {
    const [problem] = compareContract(contract, [meta('mel', 'float16', ['b', 80, 'f']), good.inputs[1]!], good.outputs);
    assert.equal(problem, "input 'mel': expected float32 [batch, 80, frames], found float16 [b, 80, f] (element type differs)");
  });

  it('names a fixed dim that differs, a rank that differs, and an axis the model fixes', () => {
    const problems = compareContract(contract, [meta('mel', 'float32', ['b', 100, 512]), meta('speaker', 'int64', ['b', 1])], good.outputs);
    assert.deepEqual(problems, [
      "input 'mel': expected float32 [batch, 80, frames], found float32 [b, 100, 512] (dim 1 is 100, not 80)",
      "input 'mel': expected float32 [batch, 80, frames], found float32 [b, 100, 512] (dim 2 is fixed at 512, the contract lets 'frames' vary)",
      "input 'speaker': expected int64 [batch], found int64 [b, 1] (rank 1 vs 2)",
    ]);
  });

  it('names inputs the contract lacks and outputs the model lacks', () => {
    const problems = compareContract(contract, [...good.inputs, meta('pitch', 'float32', ['b'])], [meta('wave', 'float32', ['b', 't'])]);
    assert.deepEqual(problems, [
      "input 'pitch': expected no such input, found float32 [b] that the contract does not declare",
      "output 'audio': expected float32 [batch, frames*256], found no such output (model outputs: wave)",
    ]);
  });
});

describe('the feed check before every run', () => {
  const problemsOf = (feeds: Record<string, TensorData>) => checkFeeds(contract, feeds).problems;

  it('accepts feeds that match, and binds their axes', () => {
    const checked = checkFeeds(contract, { mel: f32([2, 80, 5]), speaker: i64([2]) });
    assert.deepEqual(checked.problems, []);
    assert.equal(checked.axes.get('frames')?.size, 5);
  });

  it('names a missing input and an unknown feed', () => {
    assert.deepEqual(problemsOf({ mel: f32([1, 80, 5]), pitch: f32([1]) }), [
      "input 'speaker': missing (inputs: mel, speaker)",
      "feed 'pitch': not an input of this graph (inputs: mel, speaker)",
    ]);
  });

  it('names a wrong element type and a wrong typed array', () => {
    assert.deepEqual(problemsOf({ mel: f32([1, 80, 5]), speaker: { type: 'int32', data: new Int32Array(1), dims: [1] } as never }), [
      "input 'speaker': element type int32, contract says int64",
    ]);
    assert.deepEqual(problemsOf({ mel: f32([1, 80, 5]), speaker: { type: 'int64', data: new Int32Array(1), dims: [1] } as never }), [
      "input 'speaker': int64 data must be a BigInt64Array, got Int32Array",
    ]);
  });

  it('names an element count that does not fit the dims, a wrong rank and a wrong fixed dim', () => {
    assert.deepEqual(problemsOf({ mel: { type: 'float32', data: new Float32Array(7), dims: [1, 80, 5] }, speaker: i64([1]) }), [
      "input 'mel': dims [1, 80, 5] hold 400 elements, data has 7",
    ]);
    assert.deepEqual(problemsOf({ mel: f32([80, 5]), speaker: i64([1]) }), ["input 'mel': rank 2 [80, 5], contract says rank 3 [batch, 80, frames]"]);
    assert.deepEqual(problemsOf({ mel: f32([1, 81, 5]), speaker: i64([1]) }), ["input 'mel': dim 1 is 81, contract says 80"]);
  });

  it('names an axis two tensors disagree on', () => {
    assert.deepEqual(problemsOf({ mel: f32([2, 80, 5]), speaker: i64([3]) }), ["input 'speaker': axis 'batch' (dim 0) is 3, but input 'mel' has it as 2"]);
  });

  it('checks outputs against the axes the inputs bound, expressions included', () => {
    const axes = checkFeeds(contract, { mel: f32([1, 80, 5]), speaker: i64([1]) }).axes;
    assert.deepEqual(checkOutputs(contract, { audio: f32([1, 1280]) }, axes), []);
    assert.deepEqual(checkOutputs(contract, { audio: f32([1, 1279]) }, axes), ["output 'audio': dim 1 is 1279, contract says frames*256 = 1280"]);
  });
});
