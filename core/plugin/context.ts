// What a handler receives besides its input. Each service behind these fields is owned
// by one core module; a plugin never reaches past this object.
import type { Logger } from '../log/logger.ts';
import type { GraphHandle } from '../onnx/graph-handle.ts';
import type { AudioToolkit } from '../audio/toolkit.ts';
import type { TextToolkit } from '../text/toolkit.ts';

export type ProgressFn = (fraction: number, message?: string, stage?: string) => void;

export interface HandlerContext {
  readonly plugin: { readonly name: string; readonly sampleRate: number };
  /** One handle per declared graph: `ctx.graphs.decoder.run(feeds)`. */
  readonly graphs: Readonly<Record<string, GraphHandle>>;
  /** installed | smoke | missing | weight-free */
  readonly weightState: string;
  /** Folder holding this plugin's weight files (vocab files, configs). */
  readonly weightDir: string;
  readonly progress: ProgressFn;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly audio: AudioToolkit;
  readonly text: TextToolkit;
  readonly capabilities: CapabilityRegistry;
  readonly requestId: string;
}

// A capability provider hands out its own HandlerContext and a HandlerContext holds the
// registry, so both types live in this module (core/capabilities.ts names the capabilities).
export interface CapabilityProvider<T> {
  readonly plugin: string;
  readonly capability: T;
  /** Runs the provider's `load` hook once; await it before the first call. */
  readonly ready: () => Promise<void>;
  /** The provider's own context (its graphs, weight state), so callers run it as its owner would. */
  readonly context: (base: { signal: AbortSignal; requestId: string; progress?: HandlerContext['progress'] }) => HandlerContext;
}

export interface CapabilityRegistry {
  list<T = unknown>(kind: string): readonly CapabilityProvider<T>[];
  find<T = unknown>(kind: string, plugin?: string): CapabilityProvider<T> | undefined;
}
