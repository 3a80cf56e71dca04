// Main-thread side of the AR stage: build the prompt in the shared vocab, run ar-loop.ts next to
// the Llama graph (its K/V cache never leaves the worker), and report each token as progress.
import { errors } from '../../../core/errors.ts';
import type { ArResult } from '../../../core/generation/ar-driver.ts';
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import { VEVO, type ArName } from '../settings.ts';
import type { ArLoopInput } from './ar-loop.ts';
import { arLayout, arPrompt } from './token-layout.ts';

const AR_LOOP = new URL('./ar-loop.ts', import.meta.url);

export interface ArSampling {
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly seed: number;
  /** Cap below HF's max_length − prompt (tests, short answers); default the model's own. */
  readonly maxNewTokens?: number;
}

export interface ArRequest {
  readonly name: ArName;
  /** Phone ids (TTS) or reduced vq32 ids already offset by 1024 (VC), within the input vocab. */
  readonly inputs: readonly number[];
  /** vq8192 tokens of the style reference. */
  readonly promptOutputs: readonly number[];
  readonly sampling: ArSampling;
}

/** New tokens HF generate may add: max_length counts the prompt. */
export function newTokenBudget(promptLength: number, cap?: number): number {
  const room = VEVO.ar.maxLength - promptLength;
  return Math.max(0, cap === undefined ? room : Math.min(cap, room));
}

export async function generateContentStyle(
  graph: GraphHandle,
  request: ArRequest,
  hooks: { readonly signal: AbortSignal; readonly onToken?: (count: number, budget: number) => void },
): Promise<ArResult> {
  const spec = VEVO.ar[request.name];
  const layout = arLayout(spec.inputVocab, VEVO.ar.outputVocab);
  const prompt = arPrompt(layout, request.inputs, request.promptOutputs);
  // HF generate would return the prompt alone; the FM stage would then have nothing to render
  if (newTokenBudget(prompt.length) < VEVO.ar.minNewTokens) {
    throw errors.unprocessable(`the inputs make a ${prompt.length}-token AR prompt; the model's limit is ${VEVO.ar.maxLength} tokens including at least ${VEVO.ar.minNewTokens} generated: send shorter audio or text`);
  }
  const maxNewTokens = newTokenBudget(prompt.length, request.sampling.maxNewTokens);
  const input: ArLoopInput = {
    graph: graph.name,
    prompt,
    layout,
    cache: { layers: spec.layers, heads: spec.heads, headDim: spec.headDim },
    temperature: request.sampling.temperature,
    topK: request.sampling.topK,
    topP: request.sampling.topP,
    minNewTokens: VEVO.ar.minNewTokens,
    maxNewTokens,
    seed: request.sampling.seed,
  };
  const session = await graph.open!({ signal: hooks.signal });
  try {
    return await session.loop<ArResult, number>(AR_LOOP, input, { onProgress: (i, n) => hooks.onToken?.(i, n) });
  } finally {
    await session.close();
  }
}
