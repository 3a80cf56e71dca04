// The plugin's graph handles, typed by the names graphs.ts declares.
import type { GraphHandle } from '../../../core/onnx/graph-handle.ts';
import type { HandlerContext } from '../../../core/plugin/context.ts';
import { graphs, type MaskgctGraph } from '../graphs.ts';

export type MaskgctGraphs = Readonly<Record<MaskgctGraph, GraphHandle>>;

export function maskgctGraphs(ctx: Pick<HandlerContext, 'graphs'>): MaskgctGraphs {
  const missing = Object.keys(graphs).filter((name) => ctx.graphs[name] === undefined);
  if (missing.length) throw new Error(`maskgct: no handle for graph(s) ${missing.join(', ')}`);
  return ctx.graphs as MaskgctGraphs;
}
