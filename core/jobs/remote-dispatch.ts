// Synchronous plugin calls on an API-only process (`--role api`): the call becomes a task
// for the worker processes, the request waits for its final event, streams the stored
// result and forgets the task. The client sees what the in-process call would have
// answered — the result with its headers, or the same error — and the inference runs on a
// worker. A client that leaves early cancels the task.
import { once } from 'node:events';
import type { Dispatcher } from '../http/dispatch.ts';
import { errors } from '../errors.ts';
import type { Jobs } from './jobs.ts';
import { isFinal, type ProgressEvent } from './types.ts';
import { sendStream } from '../http/send-stream.ts';

export function makeRemoteDispatcher(deps: { jobs: Jobs }): Dispatcher {
  const { jobs } = deps;
  return async function dispatchToWorker(invocation, req, res) {
    const task = await jobs.submit(invocation, req);
    const principal = req.principal;
    const left = () => {
      if (!res.writableFinished) jobs.cancel(task.id, principal).catch(() => {}); // finished already: nothing to cancel
    };
    res.once('close', left);
    try {
      await new Promise<ProgressEvent>((resolve, reject) => {
        const following = jobs.follow(task.id, principal, {
          next: (event) => isFinal(event) && resolve(event),
          end: (reason) => reason === 'shutdown' && reject(errors.unavailable('the hub is shutting down; retry on another instance')),
        });
        if (isFinal(following.first)) resolve(following.first);
      });
      const { task: done, body } = jobs.result(task.id, principal); // an error task throws the error the call would have thrown
      await once(body, 'open');
      const result = done.result!;
      for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
      res.setHeader('Content-Length', String(result.bytes));
      res.status(200).type(result.contentType);
      await sendStream(body, res);
    } finally {
      res.off('close', left);
      if (jobs.find(task.id)?.status !== 'running') await jobs.remove(task.id, principal).catch(() => {});
    }
  };
}
