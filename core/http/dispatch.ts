// The last link of the chain: runs a validated call and writes the answer. The jobs
// module wraps this to run the same call as an async task.
import type { Request, Response } from 'express';
import type { AudioToolkit } from '../audio/toolkit.ts';
import type { PluginRuntime } from '../plugin/runtime.ts';
import type { RouteDecl } from '../plugin/types.ts';
import type { LoadedPlugin } from '../registry/load-registry.ts';
import { renderResult } from './render-result.ts';
import './request-types.ts';

export interface Invocation {
  readonly plugin: LoadedPlugin;
  readonly route: RouteDecl;
  /** Validated fields plus `files`. */
  readonly input: Record<string, unknown>;
  /** Negotiated response format (audio routes). */
  readonly format: string;
}

export type Dispatcher = (invocation: Invocation, req: Request, res: Response) => Promise<void>;

export function makeDispatcher(deps: { runtime: PluginRuntime; audio: AudioToolkit }): Dispatcher {
  return async function dispatch(invocation, req, res) {
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client went away'));
    });
    const { plugin, route } = invocation;
    const output = await deps.runtime.invoke(plugin, route, invocation.input, { signal: controller.signal, requestId: req.id });
    const result = await renderResult(route.produces, output, invocation.format, deps.audio);
    res.setHeader('X-Weight-State', deps.runtime.weightState(plugin.decl.name));
    for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
    res.status(200).type(result.contentType).end(result.body);
  };
}
