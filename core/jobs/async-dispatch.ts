// Wraps the synchronous dispatcher: a call that asks for it (`Prefer: respond-async`,
// RFC 7240 §4.1, or `?async=true`) becomes a task and is answered 202 at once; every
// other call goes through unchanged.
import type { Request } from 'express';
import { errors } from '../errors.ts';
import type { Dispatcher } from '../http/dispatch.ts';
import type { Jobs } from './jobs.ts';
import { taskUrls } from './task-view.ts';

/** Preference names of all `Prefer` headers (RFC 7240 §2: comma-separated, case-insensitive, `;` parameters). */
export function preferences(req: Pick<Request, 'headers'>): Set<string> {
  const raw = req.headers.prefer;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return new Set(values.flatMap((v) => v.split(',')).map((p) => p.split(/[=;]/)[0]!.trim().toLowerCase()).filter(Boolean));
}

/** `?async=` wins over the header, so a client can force either way. */
export function asyncRequested(req: Pick<Request, 'headers' | 'query'>): { async: boolean; viaPrefer: boolean } {
  const flag = req.query?.async;
  if (flag !== undefined) {
    if (flag === 'true' || flag === '1') return { async: true, viaPrefer: false };
    if (flag === 'false' || flag === '0' || flag === '') return { async: false, viaPrefer: false };
    throw errors.invalidField('async', 'must be true or false');
  }
  const viaPrefer = preferences(req).has('respond-async');
  return { async: viaPrefer, viaPrefer };
}

export function makeAsyncDispatcher(deps: { syncDispatch: Dispatcher; jobs: Jobs }): Dispatcher {
  return async function dispatch(invocation, req, res) {
    const asked = asyncRequested(req);
    if (!asked.async) return deps.syncDispatch(invocation, req, res);
    const task = await deps.jobs.submit(invocation, req);
    const urls = taskUrls(task.id);
    if (asked.viaPrefer) res.setHeader('Preference-Applied', 'respond-async');
    res.status(202).location(urls.status_url).json({ task_id: task.id, status: task.status, ...urls });
  };
}
