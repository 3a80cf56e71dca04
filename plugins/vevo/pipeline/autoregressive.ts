// Main-thread side of Vevo's AR stage: build the prompt in the shared vocab and run the shared AR
// loop (vevo-common/autoregressive.ts) next to the Llama graph.
import { errors } from '../../../core/errors.ts';
import type { ArResult } from '../../../core/generation/ar-driver.ts';
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import { VEVO, type ArName } from '../settings.ts';
import { runArLoop, tokenBudget } from '../../vevo-common/autoregressive.ts';
import { arLayout, arPrompt } from './token-layout.ts';

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
  return tokenBudget(VEVO.ar.maxLength, promptLength, cap);
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
  const input = {
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
  return runArLoop(graph, input, hooks);
}
