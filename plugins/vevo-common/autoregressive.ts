// Main-thread side of the AR stage shared by Vevo and VevoSing: run ar-loop.ts next to the Llama
// graph (its K/V cache never leaves the worker) and report each token as progress. Each plugin
// builds its own prompt (its token layout) and calls this.
import type { ArResult } from '../../core/generation/ar-driver.ts';
import type { GraphHandle } from '../../core/onnx/graph-handle.ts';
import type { ArLoopInput } from './ar-loop.ts';

const AR_LOOP = new URL('./ar-loop.ts', import.meta.url);

/** New tokens HF generate may add: max_length counts the prompt. */
export function tokenBudget(maxLength: number, promptLength: number, cap?: number): number {
  const room = maxLength - promptLength;
  return Math.max(0, cap === undefined ? room : Math.min(cap, room));
}

export async function runArLoop(
  graph: GraphHandle,
  input: Omit<ArLoopInput, 'graph'>,
  hooks: { readonly signal: AbortSignal; readonly onToken?: (count: number, budget: number) => void },
): Promise<ArResult> {
  const session = await graph.open!({ signal: hooks.signal });
  try {
    return await session.loop<ArResult, number>(AR_LOOP, { ...input, graph: graph.name }, { onProgress: (i, n) => hooks.onToken?.(i, n) });
  } finally {
    await session.close();
  }
}
