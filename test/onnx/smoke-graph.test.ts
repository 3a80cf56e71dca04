import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareContract } from '../../core/onnx/contract-check.ts';
import { checkFeeds, checkOutputs } from '../../core/onnx/feed-check.ts';
import type { TensorData } from '../../core/onnx/graph-handle.ts';
import { FREE_AXIS_SIZE, smokeGraphBytes, vocabOf } from '../../core/onnx/smoke-graph.ts';
import type { GraphContract } from '../../core/plugin/types.ts';
import { feedsFor } from './support/feeds.ts';
import { runSession, sessionFor } from './support/ort-session.ts';

interface Case {
  readonly what: string;
  readonly contract: GraphContract;
  readonly axes: Record<string, number>;
  /** Expected output dims for `axes`. */
  readonly dims: Record<string, number[]>;
}

const cases: Case[] = [
  {
    what: 'a vocoder: symbolic batch and frames, output length frames*256',
    contract: { file: 'v.onnx', inputs: [{ name: 'mel', type: 'float32', dims: ['batch', 80, 'frames'] }], outputs: [{ name: 'audio', type: 'float32', dims: ['batch', 1, 'frames*256'] }] },
    axes: { batch: 2, frames: 7 },
    dims: { audio: [2, 1, 1792] },
  },
  {
    what: 'a token model: int64 ids and a bool mask in, logits and sampled ids out',
    contract: {
      file: 't.onnx',
      inputs: [
        { name: 'ids', type: 'int64', dims: ['batch', 'tokens'] },
        { name: 'mask', type: 'bool', dims: ['batch', 'tokens'] },
      ],
      outputs: [
        { name: 'logits', type: 'float32', dims: ['batch', 'tokens', 1024] },
        { name: 'next', type: 'int64', dims: ['batch'], vocab: 50 },
      ],
    },
    axes: { batch: 3, tokens: 5 },
    dims: { logits: [3, 5, 1024], next: [3] },
  },
  {
    what: 'fixed dims only, with float16, int32 and int8 outputs',
    contract: {
      file: 'f.onnx',
      inputs: [{ name: 'x', type: 'float32', dims: [1, 16] }],
      outputs: [
        { name: 'half', type: 'float16', dims: [16, 2] },
        { name: 'small', type: 'int32', dims: [3], vocab: 10 },
        { name: 'tiny', type: 'int8', dims: [4] },
      ],
    },
    axes: {},
    dims: { half: [16, 2], small: [3], tiny: [4] },
  },
  {
    what: 'expressions over two inputs (n+m, n/2-1, n*m) and a scalar output',
    contract: {
      file: 'e.onnx',
      inputs: [
        { name: 'a', type: 'float32', dims: ['n'] },
        { name: 'b', type: 'int64', dims: ['m'] },
      ],
      outputs: [
        { name: 'sum', type: 'float32', dims: ['n+m'] },
        { name: 'half', type: 'int64', dims: ['n/2-1'], vocab: 7 },
        { name: 'grid', type: 'uint8', dims: ['n*m'] },
        { name: 'scalar', type: 'float32', dims: [] },
      ],
    },
    axes: { n: 10, m: 3 },
    dims: { sum: [13], half: [4], grid: [30], scalar: [] },
  },
  {
    what: 'an output axis no input binds (a generated length)',
    contract: { file: 'g.onnx', inputs: [{ name: 'prompt', type: 'int32', dims: ['t'] }], outputs: [{ name: 'generated', type: 'int64', dims: ['batch', 'length'], vocab: 8192 }] },
    axes: { t: 4 },
    dims: { generated: [FREE_AXIS_SIZE, FREE_AXIS_SIZE] },
  },
  {
    what: 'an empty input (zero frames)',
    contract: { file: 'z.onnx', inputs: [{ name: 'mel', type: 'float32', dims: [1, 4, 'frames'] }], outputs: [{ name: 'audio', type: 'float32', dims: [1, 'frames*2'] }] },
    axes: { frames: 0 },
    dims: { audio: [1, 0] },
  },
];

function assertInRange(name: string, contract: GraphContract, tensor: TensorData) {
  const declared = contract.outputs.find((o) => o.name === name)!;
  if (declared.type === 'float32') {
    for (const v of tensor.data as Float32Array) assert.ok(Number.isFinite(v) && v > -1 && v < 1, `${name}: ${v} outside (-1, 1)`);
  } else if (declared.type !== 'float16') {
    const vocab = vocabOf(declared);
    for (const v of tensor.data) assert.ok(Number(v) >= 0 && Number(v) < vocab, `${name}: id ${v} outside [0, ${vocab})`);
  }
}

describe('smoke graphs generated from contracts', () => {
  for (const c of cases) {
    describe(c.what, () => {
      const bytes = smokeGraphBytes(c.contract, { plugin: 'test', graph: 'g' });

      it('load in onnxruntime with exactly the declared inputs and outputs', async () => {
        const session = await sessionFor(bytes);
        assert.deepEqual(compareContract(c.contract, session.inputMetadata, session.outputMetadata), []);
        assert.deepEqual(session.inputNames, c.contract.inputs.map((i) => i.name));
        assert.deepEqual(session.outputNames, c.contract.outputs.map((o) => o.name));
      });

      it('give outputs of the declared types and dims, in range, that pass the output check', async () => {
        const session = await sessionFor(bytes);
        const feeds = feedsFor(c.contract, c.axes);
        const outputs = await runSession(session, feeds);
        for (const output of c.contract.outputs) {
          assert.equal(outputs[output.name]!.type, output.type, output.name);
          assert.deepEqual(outputs[output.name]!.dims, c.dims[output.name], output.name);
          assertInRange(output.name, c.contract, outputs[output.name]!);
        }
        assert.deepEqual(checkOutputs(c.contract, outputs, checkFeeds(c.contract, feeds).axes), []);
      });

      it('are deterministic, and their outputs move when the inputs do', async () => {
        const session = await sessionFor(bytes);
        const first = await runSession(session, feedsFor(c.contract, c.axes, 1));
        const again = await runSession(session, feedsFor(c.contract, c.axes, 1));
        const other = await runSession(session, feedsFor(c.contract, c.axes, 2));
        const values = (o: Record<string, TensorData>) => c.contract.outputs.map((t) => Array.from(o[t.name]!.data, Number));
        assert.deepEqual(values(again), values(first));
        const empty = c.contract.outputs.every((t) => first[t.name]!.data.length === 0);
        if (!empty) assert.notDeepEqual(values(other), values(first));
      });
    });
  }

  it('keep float outputs from being constant along their elements', async () => {
    const c = cases[0]!;
    const outputs = await runSession(await sessionFor(smokeGraphBytes(c.contract, { plugin: 'test', graph: 'g' })), feedsFor(c.contract, c.axes));
    const audio = outputs.audio!.data as Float32Array;
    assert.ok(new Set(audio).size > audio.length / 4, 'audio should vary sample to sample');
  });
});
