// What a handler receives besides its input. Each service behind these fields is owned
// by one core module; a plugin never reaches past this object.
import type { Logger } from '../logger.ts';
import type { GraphHandle } from '../onnx/graph-handle.ts';
import type { AudioToolkit } from '../audio/toolkit.ts';
import type { CapabilityRegistry } from '../capabilities.ts';
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
