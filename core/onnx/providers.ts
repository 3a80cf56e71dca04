// The two services the plugin runtime needs from the ONNX layer: where weights stand, and
// graph handles to run. core/onnx implements both; the runtime only sees these shapes.
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { GraphHandle } from './graph-handle.ts';

/** installed: real weights verified; smoke: generated test graphs; missing: nothing usable. */
export type WeightState = 'installed' | 'smoke' | 'missing' | 'weight-free';

export interface WeightInspector {
  state(plugin: LoadedPlugin): WeightState;
  /** Folder holding the plugin's weight files. */
  dir(plugin: LoadedPlugin): string;
  missingFiles(plugin: LoadedPlugin): string[];
  installCommand(plugin: LoadedPlugin): string;
}

export interface GraphProvider {
  handlesFor(plugin: LoadedPlugin): Readonly<Record<string, GraphHandle>>;
  dispose(): Promise<void>;
}
