// The catalogue error for a worker call that failed, by what the worker said went wrong.
// A stopped worker is 503 worker_lost: the pool has already started a new one.
import { errors, isHubError } from '../errors.ts';
import { WorkerCallError } from './worker-pool.ts';

export function callFailure(plugin: string, graph: string, error: unknown): Error {
  if (isHubError(error) || !(error instanceof WorkerCallError)) return error as Error;
  switch (error.kind) {
    case 'lost':
      return errors.workerLost(plugin, graph, error.message);
    case 'stale':
      return errors.residentStale(plugin, graph, error.message);
    case 'foreign':
      return errors.residentForeign(plugin, graph, error.message);
    case 'shape':
      return errors.graphFeedInvalid(plugin, graph, [error.message]);
    default:
      return errors.graphFailed(plugin, graph, error.message);
  }
}
