// The services the plugin runtime and the model surface need from the ONNX layer: where
// weights stand, and graph handles to run. core/onnx implements both; callers only see these.
import type { HubError } from '../errors.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import type { GraphHandle } from './graph-handle.ts';
import type { WeightFile } from './weight-files.ts';

/**
 * installed: real weights present, every file pinned by a registry sha256; unverified: present,
 * but some file has no pinned sha256 to check it against; smoke: generated test graphs;
 * missing: nothing usable.
 */
export type WeightState = 'installed' | 'unverified' | 'smoke' | 'missing' | 'weight-free';
export const WEIGHT_STATES: readonly WeightState[] = ['installed', 'unverified', 'smoke', 'missing', 'weight-free'];

export interface WeightInspector {
  /** Folder that holds every plugin's weight folder. */
  readonly root: string;
  state(plugin: LoadedPlugin): WeightState;
  /** Folder holding the plugin's weight files. */
  dir(plugin: LoadedPlugin): string;
  /** Every file the plugin needs, with what the registry says about it. */
  files(plugin: LoadedPlugin): WeightFile[];
  missingFiles(plugin: LoadedPlugin): string[];
  installCommand(plugin: LoadedPlugin): string;
  /** The error a call gets when the plugin cannot run (missing files or a recorded load failure). */
  unusable(plugin: LoadedPlugin): HubError | undefined;
  /** Remembers why the files cannot be used, until they change. */
  recordFailure(plugin: LoadedPlugin, error: HubError): void;
  clearFailure(plugin: LoadedPlugin): void;
  /** Files with a registry sha256 that no check has confirmed for their current size and mtime. */
  unverifiedFiles(plugin: LoadedPlugin): WeightFile[];
  markVerified(plugin: LoadedPlugin, verified: readonly { path: string; sha256: string }[]): void;
  sizeOnDisk(plugin: LoadedPlugin): number;
}

export interface GraphStatus {
  readonly name: string;
  readonly file: string;
  readonly loaded: boolean;
  /** Execution provider each loaded copy got (`cpu`, `cuda`, ...). */
  readonly providers: readonly string[];
  /** Declared in the contract, in MiB, when known. */
  readonly memoryMb: number | undefined;
  readonly running: number;
  readonly queued: number;
  readonly runs: number;
  readonly meanRunMs: number | undefined;
  /** Dynamic batching, when the graph has it: runs submitted, session runs they took, largest batch. */
  readonly batching?: { readonly submitted: number; readonly batches: number; readonly largest: number };
  /** Bytes the loaded copies count against the session memory budget. */
  readonly residentBytes: number;
  /** The last time the sessions were unloaded to make room for another load, and why. */
  readonly eviction: { readonly at: string; readonly reason: string } | undefined;
}

export interface GraphProvider {
  handlesFor(plugin: LoadedPlugin): Readonly<Record<string, GraphHandle>>;
  /** Loads every graph of the plugin now (checks weights and contracts). */
  load(plugin: LoadedPlugin): Promise<GraphStatus[]>;
  /** Releases the plugin's sessions; the next run loads them again. */
  unload(plugin: LoadedPlugin): Promise<void>;
  status(plugin: LoadedPlugin): GraphStatus[];
  dispose(): Promise<void>;
}
