// Starting a worker thread whose entry is TypeScript. A worker does not get the main
// thread's tsx module hooks (Node 20: `--import tsx` in its execArgv does not apply them
// before the entry loads), so a one-line bootstrap registers tsx's loader in the thread and
// then imports the entry.
//
// The parent's own `--import tsx` is left out of the worker's execArgv. Inherited, it loads
// tsx a second time in the thread, and the worker's code then ran about 30 % slower: a pitch
// shift part took 185 ms instead of 140 ms in an audio worker of `npm start`'s process
// (same job, same data, the worker's own clock).
import { Worker } from 'node:worker_threads';
import { backgroundPrologue } from './background-priority.ts';

const TSX_API = import.meta.resolve('tsx/esm/api');

/** process.execArgv without the options that load tsx (`--import tsx`, `--import=tsx`, `--require tsx`, `--loader tsx`). */
export function workerExecArgv(execArgv: readonly string[] = process.execArgv): string[] {
  const loadsTsx = (value: string | undefined) => value !== undefined && /^tsx(\/|$)/.test(value);
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (['--import', '--require', '-r', '--loader', '--experimental-loader'].includes(flag)) {
      if (inline === undefined ? loadsTsx(execArgv[i + 1]) : loadsTsx(inline)) {
        if (inline === undefined) i++;
        continue;
      }
    }
    kept.push(arg);
  }
  return kept;
}

export interface TypeScriptWorkerOptions {
  readonly name?: string;
  /** Compute work: the thread, and every thread it starts, runs below the event loop's priority (background-priority.ts). */
  readonly background?: boolean;
}

export function startTypeScriptWorker(entry: URL, options: TypeScriptWorkerOptions = {}): Worker {
  const prologue = options.background ? `${backgroundPrologue()}\n` : '';
  const bootstrap = `${prologue}import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  try {
    return new Worker(bootstrap, { eval: true, name: options.name, execArgv: workerExecArgv() });
  } catch (error) {
    // An explicit execArgv is checked, and options for the whole process (--trace-gc,
    // --max-old-space-size, ...) are refused in it, though inherited ones are ignored
    // silently: without them the worker gets none of the parent's options.
    if ((error as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(bootstrap, { eval: true, name: options.name, execArgv: [] });
  }
}
