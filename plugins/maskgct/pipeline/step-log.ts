// Every graph call of a synthesis goes through here: the abort signal is checked before
// it, its time and the process memory after it are logged, and progress advances by one
// unit. A synthesis is a known number of units (the step counts), so progress is exact.
import type { HandlerContext } from '../../../core/plugin/context.ts';

export interface StepLog {
  /** Runs one unit of work between abort checks, logging its time and memory. */
  step<T>(stage: string, detail: Readonly<Record<string, unknown>>, work: () => Promise<T>): Promise<T>;
  /** Logs, at debug level, what a stage feeds every one of its graph calls (e.g. T2S's phone ids). */
  inputs(stage: string, fields: Readonly<Record<string, unknown>>): void;
  /** Logs a stage's total once it is done. */
  stageDone(stage: string, fields: Readonly<Record<string, unknown>>): void;
  /** Units done so far. */
  readonly done: number;
}

const mib = (bytes: number) => Math.round(bytes / 1048576);

export function makeStepLog(ctx: Pick<HandlerContext, 'signal' | 'log' | 'progress'>, totalUnits: number): StepLog {
  let done = 0;
  const stageStarted = new Map<string, number>();
  return {
    get done() {
      return done;
    },
    async step(stage, detail, work) {
      ctx.signal.throwIfAborted();
      if (!stageStarted.has(stage)) stageStarted.set(stage, performance.now());
      const started = performance.now();
      const result = await work();
      const memory = process.memoryUsage();
      done = Math.min(done + 1, totalUnits);
      ctx.log.debug('maskgct step', { stage, ...detail, ms: Math.round(performance.now() - started), rssMb: mib(memory.rss), heapMb: mib(memory.heapUsed), externalMb: mib(memory.external + memory.arrayBuffers) });
      ctx.progress(done / totalUnits, `${stage} ${describe(detail)}`.trim(), stage);
      return result;
    },
    inputs(stage, fields) {
      ctx.log.debug('maskgct stage inputs', { stage, ...fields });
    },
    stageDone(stage, fields) {
      const started = stageStarted.get(stage);
      ctx.log.info('maskgct stage done', { stage, ...fields, ms: started === undefined ? 0 : Math.round(performance.now() - started), rssMb: mib(process.memoryUsage().rss) });
    },
  };
}

function describe(detail: Readonly<Record<string, unknown>>): string {
  return Object.entries(detail).map(([k, v]) => `${k} ${v}`).join(', ');
}
