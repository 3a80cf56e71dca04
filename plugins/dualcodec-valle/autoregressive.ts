// Main-thread side of the AR stage: run ar-loop.ts next to the Llama graph (its K/V cache never
// leaves the worker) and report each token as progress. Returns semantic codes (ids − offset).
import type { ArResult } from '../../core/generation/ar-driver.ts';
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import type { ArLoopInput } from './ar-loop.ts';
import { VALLE } from './settings.ts';

const AR_LOOP = new URL('./ar-loop.ts', import.meta.url);

export interface ArRequest {
  readonly prompt: readonly number[];
  readonly maxNewTokens: number;
  readonly sampling: ArLoopInput['sampling'];
  readonly seed: number;
}

/** New tokens HF generate may add: max_length counts the prompt. */
export function newTokenBudget(promptLength: number, cap?: number): number {
  const room = VALLE.ar.maxLength - promptLength;
  return Math.max(0, cap === undefined ? room : Math.min(cap, room));
}

export async function generateSemantic(
  graph: GraphHandle,
  request: ArRequest,
  hooks: { readonly signal: AbortSignal; readonly onToken?: (count: number, budget: number) => void },
): Promise<{ codes: Int32Array; stop: ArResult['stop'] }> {
  const { ar } = VALLE;
  const input: ArLoopInput = {
    graph: graph.name,
    prompt: request.prompt,
    cache: { layers: ar.layers, heads: ar.heads, headDim: ar.headDim },
    speech: { first: ar.initialOffset, end: ar.initialOffset + ar.speechVocab },
    eos: ar.eos,
    sampling: request.sampling,
    maxNewTokens: request.maxNewTokens,
    seed: request.seed,
  };
  const session = await graph.open!({ signal: hooks.signal });
  try {
    const result = await session.loop<ArResult, number>(AR_LOOP, input, { onProgress: (i, n) => hooks.onToken?.(i, n) });
    // generated_ids[..., prompt:-1] − initial_offset (the EOS is not part of `tokens`)
    return { codes: Int32Array.from(result.tokens, (t) => t - ar.initialOffset), stop: result.stop };
  } finally {
    await session.close();
  }
}
