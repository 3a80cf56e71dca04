// Stored task results are bounded in bytes, per key and in total (config jobs.resultBudget):
// a result that would go over makes room by expiring the oldest finished results first
// (of that key for its own budget, of anyone for the total); a result larger than a budget
// on its own fails its task with 507 saying so. Bytes being written are reserved, so two
// tasks finishing together cannot both squeeze into the same room.
import { errors } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import type { TaskFiles } from './task-files.ts';
import type { TaskStore } from './task-store.ts';

export interface ResultLimits {
  readonly perKeyBytes: number;
  readonly totalBytes: number;
}

export interface ResultBudget {
  /** Makes room for `bytes` of the owner's result; call the returned function once it is recorded or dropped. */
  reserve(owner: string, bytes: number): Promise<() => void>;
}

export function makeResultBudget(deps: { store: TaskStore; files: TaskFiles; limits: ResultLimits; logger: Logger }): ResultBudget {
  const { store, limits } = deps;
  const reserved = new Map<string, number>();
  const reservedOf = (owner: string | undefined) => (owner === undefined ? [...reserved.values()].reduce((a, b) => a + b, 0) : (reserved.get(owner) ?? 0));

  /** Expires the oldest results (of `owner`, or anyone's) until `needed` more bytes fit under `limit`. */
  const expireFor = (owner: string | undefined, needed: number, limit: number): string[] => {
    const gone: string[] = [];
    let used = store.resultBytes(owner) + reservedOf(owner);
    while (used + needed > limit) {
      const oldest = store.oldestResults(owner, 32);
      if (oldest.length === 0) break;
      for (const { id, bytes } of oldest) {
        if (used + needed <= limit) break;
        store.remove(id); // the record goes at once, so the next look no longer counts it
        gone.push(id);
        used -= bytes;
      }
    }
    return gone;
  };

  return {
    async reserve(owner, bytes) {
      const rule = (limit: number, which: string) =>
        errors.storageBudget(`the result is ${bytes} bytes, more than the ${limit} bytes ${which} (config jobs.resultBudget); ask for a shorter or smaller output`);
      if (bytes > limits.perKeyBytes) throw rule(limits.perKeyBytes, 'one key may keep');
      if (bytes > limits.totalBytes) throw rule(limits.totalBytes, 'the hub keeps for all keys');
      const gone = [...expireFor(owner, bytes, limits.perKeyBytes), ...expireFor(undefined, bytes, limits.totalBytes)];
      reserved.set(owner, reservedOf(owner) + bytes);
      if (gone.length) deps.logger.info('task results expired early to stay within the result budget', { owner, count: gone.length });
      await Promise.all(gone.map((id) => deps.files.remove(id)));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = reservedOf(owner) - bytes;
        if (left > 0) reserved.set(owner, left);
        else reserved.delete(owner);
      };
    },
  };
}
