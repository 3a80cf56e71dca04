// Progress and timing by stage for a multi-graph pipeline: each stage owns a slice of the
// request's progress bar in proportion to the weight its plugin gives it (its expected cost),
// and its wall time goes into a Server-Timing header (W3C Server Timing; shown by browsers'
// devtools) so a client or a bench can see where the time went.
import type { HandlerContext } from './context.ts';

export interface Stages<N extends string> {
  run<T>(name: N, work: (tick: (step: number, total: number) => void) => Promise<T>): Promise<T>;
  /** `features;dur=12.3, fm;dur=80.1`. */
  serverTiming(): string;
}

export function makeStages<N extends string>(ctx: Pick<HandlerContext, 'progress' | 'signal'>, plan: readonly N[], weights: Readonly<Record<N, number>>): Stages<N> {
  const total = plan.reduce((sum, name) => sum + weights[name], 0);
  const timings: [N, number][] = [];
  // in weight units, divided once, so a stage's last step and its end give the same fraction
  let done = 0;
  return {
    async run(name, work) {
      ctx.signal.throwIfAborted();
      const start = performance.now();
      const weight = weights[name];
      ctx.progress(done / total, `${name}`, name);
      const result = await work((step, steps) => ctx.progress((done + (weight * step) / Math.max(1, steps)) / total, `${name} ${step} of ${steps}`, name));
      // a loop that noticed the cancel returns early: the stage is not done
      ctx.signal.throwIfAborted();
      timings.push([name, performance.now() - start]);
      done += weight;
      ctx.progress(done / total, `${name} done`, name);
      return result;
    },
    serverTiming: () => timings.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', '),
  };
}
