// How many workers, how many threads per session, and the admission limits of each graph,
// from the `onnx` config section. Defaults keep workers × threads close to the core count.
import { availableParallelism } from 'node:os';
import type { HubConfig } from '../config/load-config.ts';
import type { SessionSettings } from './worker-protocol.ts';

export type OnnxConfig = HubConfig['onnx'];

export interface PoolShape {
  readonly workers: number;
  readonly session: SessionSettings;
}

export function poolShape(onnx: OnnxConfig, cores = availableParallelism()): PoolShape {
  const workers = onnx.workers > 0 ? onnx.workers : Math.min(4, Math.max(1, Math.round(cores / 4)));
  const threads = onnx.intraOpNumThreads > 0 ? onnx.intraOpNumThreads : Math.max(1, Math.floor(cores / workers));
  return {
    workers,
    session: { executionProviders: onnx.executionProviders, intraOpNumThreads: threads, graphOptimizationLevel: onnx.graphOptimizationLevel, spinWait: onnx.spinWait },
  };
}

export interface GraphLimits {
  /** Copies of the session, each in its own worker: runs at once. */
  readonly concurrency: number;
  readonly queueSize: number;
  readonly queueDeadlineMs: number;
  /** Dynamic batching (graphs whose contract marks a batch axis): wait for company this long… */
  readonly batchWindowMs: number;
  /** …up to this many items per run (1: off). */
  readonly maxBatch: number;
}

export function graphLimits(onnx: OnnxConfig, workers: number, plugin: string, graph: string): GraphLimits {
  const own: Partial<GraphLimits> = onnx.graphs[`${plugin}/${graph}`] ?? {};
  return {
    concurrency: Math.min(workers, own.concurrency ?? onnx.concurrency),
    queueSize: own.queueSize ?? onnx.queueSize,
    queueDeadlineMs: own.queueDeadlineMs ?? onnx.queueDeadlineMs,
    batchWindowMs: own.batchWindowMs ?? onnx.batchWindowMs,
    maxBatch: own.maxBatch ?? onnx.maxBatch,
  };
}
