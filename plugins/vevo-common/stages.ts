// Progress and timing by stage of Vevo's and VevoSing's pipelines (features, ar, fm, vocoder): each stage owns a slice of the
// request's progress bar in proportion to its expected cost, and its wall time goes into a
// Server-Timing header (RFC-free but standard in browsers' devtools) so a client or the bench
// can see where the time went.
import type { HandlerContext } from '../../core/plugin/context.ts';

export type StageName = 'features' | 'ar' | 'fm' | 'vocoder';

export interface Stages {
  run<T>(name: StageName, work: (tick: (step: number, total: number) => void) => Promise<T>): Promise<T>;
  /** `features;dur=12.3, fm;dur=80.1`. */
  serverTiming(): string;
}

const WEIGHTS: Record<StageName, number> = { features: 1, ar: 4, fm: 4, vocoder: 1 };

export function makeStages(ctx: Pick<HandlerContext, 'progress' | 'signal'>, plan: readonly StageName[]): Stages {
  const total = plan.reduce((sum, name) => sum + WEIGHTS[name], 0);
  const timings: [StageName, number][] = [];
  // in weight units, divided once, so a stage's last step and its end give the same fraction
  let done = 0;
  return {
    async run(name, work) {
      ctx.signal.throwIfAborted();
      const start = performance.now();
      const weight = WEIGHTS[name];
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
