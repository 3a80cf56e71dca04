// Timing for the benches: the median of repeated runs after warm-up runs (JIT, WASM
// compilation, workers started), so figures measure steady state.

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median milliseconds of `repeats` runs after `warmups` untimed ones; `run` may be async. */
export async function medianMs(run: () => unknown, options: { repeats: number; warmups?: number }): Promise<number> {
  for (let i = 0; i < (options.warmups ?? 1); i++) await run();
  const times: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}
