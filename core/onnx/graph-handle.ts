// The only view of an ONNX graph a plugin gets. Tensors are plain objects so they can
// cross into the worker threads that own the sessions.
import type { GraphContract } from '../plugin/graph-contract.ts';
import type { GraphSession, OpenSessionOptions } from './resident.ts';

import type { TensorData } from './tensor-data.ts';

export type { TensorArray, TensorData } from './tensor-data.ts';

export interface RunOptions {
  /** Aborts a run still waiting for its turn (a started run finishes; its result is dropped). */
  readonly signal?: AbortSignal;
  /** Move the feeds' buffers to the worker instead of copying them; the arrays become unusable. */
  readonly transferFeeds?: boolean;
}

export interface GraphHandle {
  readonly name: string;
  readonly contract: GraphContract;
  run(feeds: Readonly<Record<string, TensorData>>, options?: RunOptions): Promise<Record<string, TensorData>>;
  /**
   * Opens a graph session on this graph (and the plugin's graphs named in `with`), pinned to
   * one worker: outputs kept there, loops run there (resident.ts). The hub's handles have it;
   * handles a test builds over its own session may not.
   */
  open?(options?: OpenSessionOptions & { readonly with?: readonly string[] }): Promise<GraphSession>;
}
